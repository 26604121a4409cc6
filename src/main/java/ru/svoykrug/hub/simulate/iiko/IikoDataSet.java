package ru.svoykrug.hub.simulate.iiko;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The delivery orders of one simulated iiko organization, generated deterministically from a seed and a
 * size over the six days before the data set was made (iiko serves seven days by date), plus the changes a
 * test makes. Order {@code n} has revision {@code 1000 + n}; every change takes the next revision.
 */
public final class IikoDataSet {

    static final long FIRST_REVISION = 1000;
    static final String[] UNDER_WAY = {"Unconfirmed", "WaitCooking", "CookingStarted", "OnWay", "Delivered"};

    final long seed;
    final int orderCount;
    final ZoneId zone;
    final Instant epoch;
    final String organizationId;
    private final Map<Integer, Order> changed = new HashMap<>();
    private final TreeMap<Long, Integer> changedByRevision = new TreeMap<>();
    private final Map<Long, Instant> changeTimes = new HashMap<>();
    private long revision;
    private int nextOrder;
    private Duration ageShift = Duration.ZERO;
    private long agedUpTo;

    final long orderIdSeed;

    public IikoDataSet(long seed, int orders, ZoneId terminalZone) {
        this(seed, orders, terminalZone, seed);
    }

    /**
     * An organization whose order ids are those of the organization made from {@code orderIdSeed}: iiko
     * promises no order id unique across the restaurants of one apiLogin, so a hub must key by both.
     */
    public IikoDataSet(long seed, int orders, ZoneId terminalZone, long orderIdSeed) {
        this.seed = seed;
        this.orderIdSeed = orderIdSeed;
        this.orderCount = orders;
        this.zone = terminalZone;
        this.epoch = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        this.organizationId = new UUID(0x0a9a_0000_0000_0000L + seed, 1).toString();
        this.revision = FIRST_REVISION + orders;
        this.nextOrder = orders + 1;
    }

    public record Order(int number, String id, String status, long kopecks, Instant created, Instant closed,
                        String phone, String customerId, long revision, Instant changedAt) {
        public boolean completed() {
            return status.equals("Closed");
        }
    }

    private Order base(int n) {
        SplittableRandom rnd = new SplittableRandom(seed * 7_919L + n);
        Duration span = Duration.ofDays(6).minusHours(2);
        Instant created = epoch.minus(Duration.ofDays(6)).plusMillis(span.toMillis() * n / (orderCount + 1)).truncatedTo(ChronoUnit.MILLIS);
        int roll = rnd.nextInt(100);
        String status = roll < 75 ? "Closed" : roll < 83 ? "Cancelled" : UNDER_WAY[rnd.nextInt(UNDER_WAY.length)];
        Instant closed = status.equals("Closed") ? created.plusSeconds(1_200 + rnd.nextInt(4_200)).plusMillis(rnd.nextInt(1000)) : null;
        long kopecks = 30_000 + 10L * rnd.nextInt(87_000);
        String phone = n % 12 == 5 ? null : phoneOf(n);
        String customer = n % 12 == 7 ? null : new UUID(0x0c05_0000_0000_0000L + seed, 1 + n % Math.max(1, orderCount / 3)).toString();
        Instant changedAt = (closed != null ? closed : created).plusSeconds(60);
        return new Order(n, idOf(n), status, kopecks, created, closed, phone, customer, FIRST_REVISION + n, changedAt);
    }

    private String idOf(int n) {
        return new UUID(0x11c0_0000_0000_0000L + orderIdSeed, n).toString();
    }

    static String phoneOf(int n) {
        String digits = String.format("%07d", (n * 7_919L) % 10_000_000L);
        String code = "9" + (10 + n % 90);
        return switch (n % 3) {
            case 0 -> "+7" + code + digits;
            case 1 -> "8" + code + digits;
            default -> "+7 " + code + " " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
        };
    }

    public synchronized Order order(int n) {
        Order c = changed.get(n);
        return c != null ? c : n <= orderCount ? base(n) : null;
    }

    public synchronized long currentRevision() {
        return revision;
    }

    /** Orders changed after {@code startRevision}, in revision order, at most {@code limit}. */
    synchronized List<Order> changedSince(long startRevision, int limit) {
        List<Order> out = new ArrayList<>();
        for (long r = Math.max(startRevision + 1, FIRST_REVISION + 1); r <= FIRST_REVISION + orderCount && out.size() < limit; r++) {
            int n = (int) (r - FIRST_REVISION);
            if (!changed.containsKey(n)) {
                out.add(base(n));
            }
        }
        for (Map.Entry<Long, Integer> e : changedByRevision.tailMap(startRevision, false).entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            Order o = changed.get(e.getValue());
            if (o.revision() == e.getKey()) {
                out.add(o);
            }
        }
        return out;
    }

    /** Orders whose creation falls in {@code [from, to]}, in their current state. */
    synchronized List<Order> createdBetween(Instant from, Instant to) {
        List<Order> out = new ArrayList<>();
        // generated orders are created in the order of their numbers: find the first by bisection
        int lo = 1, hi = orderCount + 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (base(mid).created().isBefore(from)) lo = mid + 1;
            else hi = mid;
        }
        for (int n = lo; n <= orderCount; n++) {
            Order o = order(n);
            if (o.created().isAfter(to)) {
                break;
            }
            out.add(o);
        }
        for (int n = orderCount + 1; n < nextOrder; n++) {
            Order o = order(n);
            if (!o.created().isBefore(from) && !o.created().isAfter(to)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * When the oldest change after {@code startRevision} happened, as iiko keeps it (null: none since).
     * Changes made before {@link #age(Duration)} count as that much older.
     */
    synchronized Instant firstChangeAfter(long startRevision) {
        if (startRevision >= revision) {
            return null;
        }
        long r = startRevision + 1;
        Instant raw = r <= FIRST_REVISION + orderCount
                ? base((int) (r - FIRST_REVISION)).changedAt()
                : changeTimes.get(r);
        return r <= agedUpTo ? raw.minus(ageShift) : raw;
    }

    /** Everything that happened so far happened {@code by} earlier: the hub was away that long. */
    public synchronized void age(Duration by) {
        ageShift = ageShift.plus(by);
        agedUpTo = revision;
    }

    // ---- changes a test makes ------------------------------------------------------------------------

    private Order put(Order o) {
        changed.put(o.number(), o);
        changedByRevision.put(o.revision(), o.number());
        changeTimes.put(o.revision(), o.changedAt());
        return o;
    }

    public synchronized void cancel(int n) {
        Order o = order(n);
        Instant now = Instant.now();
        put(new Order(n, o.id(), "Cancelled", o.kopecks(), o.created(), o.closed(), o.phone(), o.customerId(), ++revision, now));
    }

    public synchronized void close(int n) {
        Order o = order(n);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        put(new Order(n, o.id(), "Closed", o.kopecks(), o.created(), now, o.phone(), o.customerId(), ++revision, now));
    }

    /** A new order, created and closed now; returns its number. */
    public synchronized int addClosed(long kopecks) {
        int n = nextOrder++;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return put(new Order(n, idOf(n), "Closed", kopecks, now.minusSeconds(1_800), now, phoneOf(n), null, ++revision, now)).number();
    }

    public synchronized int[] orders(Predicate<Order> condition, int count) {
        return java.util.stream.IntStream.range(1, nextOrder).filter(n -> condition.test(order(n))).limit(count).toArray();
    }

    public String id(int n) {
        return idOf(n);
    }

    public String organizationId() {
        return organizationId;
    }

    public ZoneId zone() {
        return zone;
    }

    /** What staging must hold after a complete sync. */
    public synchronized IikoTruth truth() {
        int rows = 0, completed = 0, voided = 0;
        long kopecks = 0;
        for (int n = 1; n < nextOrder; n++) {
            Order o = order(n);
            rows++;
            if (o.completed()) {
                completed++;
                kopecks += o.kopecks();
            } else if (o.status().equals("Cancelled")) {
                voided++;
            }
        }
        return new IikoTruth(rows, completed, kopecks, voided);
    }
}
