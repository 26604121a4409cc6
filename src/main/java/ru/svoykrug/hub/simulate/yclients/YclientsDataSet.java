package ru.svoykrug.hub.simulate.yclients;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The data of one simulated YCLIENTS company: generated deterministically from a seed and a size, so
 * any record can be produced on demand (a million records cost no memory), plus the changes a test
 * makes between two syncs. Base records change over 2025; a change made now gets the current time.
 *
 * <p>Records, clients and transactions are ordered by id; each id's last change grows with the id,
 * which lets {@code changed_after} pick a range without scanning.
 */
public final class YclientsDataSet {

    static final Instant DEFAULT_HISTORY_END = Instant.parse("2025-12-31T00:00:00Z");
    static final Duration HISTORY_SPAN = Duration.ofDays(364);

    final long seed;
    final int recordCount;
    final int clientCount;
    final int transactionCount;
    final int malformedEvery;
    final ZoneId zone;
    /** The year of history ends here: 2025 by default, so that tests see the same data every day. */
    final Instant historyStart;

    private final TreeMap<Integer, Visit> changedRecords = new TreeMap<>();
    private final TreeMap<Integer, Client> changedClients = new TreeMap<>();
    private final TreeMap<Integer, Payment> changedTransactions = new TreeMap<>();
    private int nextRecordId;
    private int nextTransactionId;

    /**
     * @param records        appointments in the company's history
     * @param malformedEvery every n-th record, client and transaction is malformed in a way the contract
     *                       allows to happen (0: none)
     */
    public YclientsDataSet(long seed, int records, int malformedEvery, ZoneId zone) {
        this(seed, records, malformedEvery, zone, DEFAULT_HISTORY_END);
    }

    /** A data set whose year of history ends at {@code historyEnd} (the demo: today, so recency means something). */
    public YclientsDataSet(long seed, int records, int malformedEvery, ZoneId zone, Instant historyEnd) {
        this.historyStart = historyEnd.minus(HISTORY_SPAN);
        this.seed = seed;
        this.recordCount = records;
        this.clientCount = Math.max(1, records / 5);
        this.transactionCount = records / 2;
        this.malformedEvery = malformedEvery;
        this.zone = zone;
        this.nextRecordId = records + 1;
        this.nextTransactionId = transactionCount + 1;
    }

    public static YclientsDataSet of(long seed, int records) {
        return new YclientsDataSet(seed, records, 0, ZoneId.of("Europe/Moscow"));
    }

    // ---- the generated history ------------------------------------------------------------------

    /** How a malformed record is broken; the reason the hub should give names the field. */
    public enum Defect { NONE, BAD_DATE, BAD_AMOUNT, BAD_ATTENDANCE, NO_ID }

    public record Visit(int id, Integer clientId, LocalDateTime datetime, Instant lastChange, int attendance, boolean deleted,
                 long[] serviceKopecks, Defect defect) {
        long totalKopecks() {
            long sum = 0;
            for (long k : serviceKopecks) {
                sum += k;
            }
            return sum;
        }
    }

    record Client(int id, String name, String phone, Instant lastChange, Defect defect) {
    }

    /**
     * A money movement: of a visit ({@code recordId}), or of a sale of goods at the counter ({@code recordId}
     * null, {@code documentId} the sale's document, which its refund names too).
     */
    record Payment(int id, Integer clientId, Integer recordId, int documentId, LocalDateTime date, long kopecks, boolean deleted,
                   Instant lastChange, Defect defect) {
        boolean counterSale() {
            return recordId == null && clientId != null;
        }
    }

    synchronized Visit record(int id) {
        Visit changed = changedRecords.get(id);
        return changed != null ? changed : baseRecord(id);
    }

    synchronized Client client(int id) {
        Client changed = changedClients.get(id);
        return changed != null ? changed : baseClient(id);
    }

    synchronized Payment transaction(int id) {
        Payment changed = changedTransactions.get(id);
        return changed != null ? changed : baseTransaction(id);
    }

    private Visit baseRecord(int id) {
        SplittableRandom rnd = random(1, id);
        Instant lastChange = baseChange(id, recordCount);
        LocalDateTime at = LocalDateTime.ofInstant(lastChange.minus(Duration.ofMinutes(rnd.nextInt(60, 600))), zone)
                .withMinute(rnd.nextBoolean() ? 0 : 30).withSecond(0);
        Integer client = rnd.nextInt(10) == 0 ? null : visitor(rnd, lastChange);
        int roll = rnd.nextInt(100);
        int attendance = roll < 70 ? 1 : roll < 80 ? -1 : roll < 90 ? 2 : 0;
        boolean deleted = rnd.nextInt(20) == 0;
        long[] services = new long[1 + rnd.nextInt(3)];
        for (int i = 0; i < services.length; i++) {
            services[i] = 50_000 + 50L * rnd.nextInt(0, 19_000); // 500.00 .. 1449.50 roubles, in 50 kopeck steps
        }
        return new Visit(id, client, at, lastChange, attendance, deleted, services, defect(id, 0));
    }

    private Client baseClient(int id) {
        return new Client(id, "Клиент " + id, phoneOf(id), baseChange(id, clientCount), defect(id, 1) == Defect.NONE ? Defect.NONE : Defect.NO_ID);
    }

    /**
     * Transaction n pays record 2n; every tenth is instead a sale of goods at the counter (no visit), and
     * every twentieth, five after such a sale, gives back half of that sale.
     */
    private Payment baseTransaction(int id) {
        SplittableRandom rnd = random(3, id);
        Instant lastChange = baseChange(id, transactionCount);
        Integer recordId = Math.min(recordCount, 2 * id);
        Integer client = rnd.nextInt(10) == 0 ? null : 1 + rnd.nextInt(clientCount);
        long kopecks = 50_000 + 100L * rnd.nextInt(0, 20_000);
        int documentId = 700_000 + id;
        if (id % 10 == 0) {
            recordId = null;
            client = 1 + rnd.nextInt(clientCount);
        } else if (id % 20 == 15 && defect(id - 5, 2) == Defect.NONE) {
            Payment sale = baseTransaction(id - 5);
            recordId = null;
            client = sale.clientId();
            documentId = sale.documentId();
            kopecks = -(sale.kopecks() / 200 * 100);
        }
        Defect defect = defect(id, 2);
        return new Payment(id, client, recordId, documentId, LocalDateTime.ofInstant(lastChange, zone).withNano(0), kopecks, false,
                lastChange, defect == Defect.NONE ? Defect.NONE : (id / Math.max(1, malformedEvery)) % 2 == 0 ? Defect.BAD_AMOUNT : Defect.BAD_DATE);
    }

    /**
     * Who came at a moment: clients join during the year, many drop out after a while, and some come
     * far more often than others (as in the customer-base models the nightly fits), so the demo's
     * churn scores and segments have something to find.
     */
    private int visitor(SplittableRandom rnd, Instant at) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int candidate = 1 + rnd.nextInt(clientCount);
            SplittableRandom traits = random(4, candidate);
            double span = HISTORY_SPAN.toSeconds();
            Instant joined = historyStart.plusSeconds((long) (traits.nextDouble() * 0.8 * span));
            boolean stays = traits.nextDouble() < 0.4;
            Instant left = stays ? Instant.MAX : joined.plusSeconds((long) (-Math.log(1 - traits.nextDouble()) * 100 * 86_400));
            double frequency = Math.pow(traits.nextDouble(), 2);
            if (!at.isBefore(joined) && at.isBefore(left) && rnd.nextDouble() < frequency) {
                return candidate;
            }
        }
        return 1 + rnd.nextInt(clientCount);
    }

    /** A phone as partners type it, in one of four shapes, or (one client in ten) something that is no phone. */
    static String phoneOf(int clientId) {
        if (clientId % 10 == 9) {
            return clientId % 20 == 9 ? "нет" : "";
        }
        String digits = String.format("%07d", (clientId * 7919L) % 10_000_000L);
        String code = "9" + (10 + clientId % 90);
        return switch (clientId % 4) {
            case 0 -> "+7 (" + code + ") " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
            case 1 -> "8 " + code + " " + digits;
            case 2 -> "7" + code + digits;
            default -> "+7" + code + digits;
        };
    }

    static String e164(int clientId) {
        if (clientId % 10 == 9) {
            return null;
        }
        return "+79" + (10 + clientId % 90) + String.format("%07d", (clientId * 7919L) % 10_000_000L);
    }

    private Defect defect(int id, int stream) {
        if (malformedEvery <= 0 || id % malformedEvery != 0) {
            return Defect.NONE;
        }
        Defect[] kinds = {Defect.BAD_DATE, Defect.BAD_AMOUNT, Defect.BAD_ATTENDANCE, Defect.NO_ID};
        return kinds[(id / malformedEvery + stream) % kinds.length];
    }

    /** The n-th of count changes spread over 2025, whole seconds, strictly growing with n. */
    Instant baseChange(int n, int count) {
        long seconds = HISTORY_SPAN.toSeconds() * n / Math.max(1, count + 1L);
        return historyStart.plusSeconds(Math.max(seconds, n));
    }

    private SplittableRandom random(int stream, int id) {
        return new SplittableRandom(seed * 1_000_003L + stream * 7_368_787L + id * 2_654_435_761L);
    }

    // ---- the view that paging and changed_after see -------------------------------------------------

    /** Ids of a stream whose last change is at or after {@code since}, in id order. */
    synchronized IdList changedSince(String stream, Instant since) {
        int baseCount = switch (stream) {
            case "records" -> recordCount;
            case "clients" -> clientCount;
            default -> transactionCount;
        };
        TreeMap<Integer, ?> changed = switch (stream) {
            case "records" -> changedRecords;
            case "clients" -> changedClients;
            default -> changedTransactions;
        };
        int firstBase = 1;
        if (since != null) {
            int lo = 1, hi = baseCount + 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (baseChange(mid, baseCount).isBefore(since)) lo = mid + 1; else hi = mid;
            }
            firstBase = lo;
        }
        List<Integer> before = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        for (Map.Entry<Integer, ?> e : changed.entrySet()) {
            int id = e.getKey();
            Instant lastChange = lastChange(e.getValue());
            boolean matches = since == null || !lastChange.isBefore(since);
            if (id < firstBase && matches) before.add(id);
            if (id > baseCount && matches) after.add(id);
        }
        return new IdList(before, firstBase, baseCount, after);
    }

    private static Instant lastChange(Object o) {
        if (o instanceof Visit v) return v.lastChange();
        if (o instanceof Client c) return c.lastChange();
        return ((Payment) o).lastChange();
    }

    /** A sorted list of ids: a few changed old ones, a range of base ids, and ids added since. */
    record IdList(List<Integer> before, int rangeFrom, int rangeTo, List<Integer> after) {
        int size() {
            return before.size() + Math.max(0, rangeTo - rangeFrom + 1) + after.size();
        }

        int get(int index) {
            if (index < before.size()) return before.get(index);
            index -= before.size();
            int range = Math.max(0, rangeTo - rangeFrom + 1);
            if (index < range) return rangeFrom + index;
            return after.get(index - range);
        }
    }

    // ---- changes between two syncs ------------------------------------------------------------------

    public synchronized void deleteRecord(int id, Instant now) {
        Visit v = record(id);
        changedRecords.put(id, new Visit(id, v.clientId(), v.datetime(), now, v.attendance(), true, v.serviceKopecks(), v.defect()));
    }

    public synchronized void setAttendance(int id, int attendance, Instant now) {
        Visit v = record(id);
        changedRecords.put(id, new Visit(id, v.clientId(), v.datetime(), now, attendance, v.deleted(), v.serviceKopecks(), v.defect()));
    }

    /** A new completed appointment of the given client; returns its id. */
    public synchronized int addRecord(Integer clientId, long kopecks, Instant now) {
        int id = nextRecordId++;
        changedRecords.put(id, new Visit(id, clientId, LocalDateTime.ofInstant(now, zone).withNano(0), now, 1, false,
                new long[]{kopecks}, Defect.NONE));
        return id;
    }

    /** Money returned for a record, as a new transaction with a negative amount; returns its id. */
    public synchronized int refund(int recordId, long kopecks, Instant now) {
        int id = nextTransactionId++;
        Visit v = record(recordId);
        changedTransactions.put(id, new Payment(id, v.clientId(), recordId, 700_000 + id, LocalDateTime.ofInstant(now, zone).withNano(0),
                -kopecks, false, now, Defect.NONE));
        return id;
    }

    /** A sale of goods at the counter to a client, no visit; returns the transaction's id. */
    public synchronized int sellGoods(int clientId, long kopecks, Instant now) {
        int id = nextTransactionId++;
        changedTransactions.put(id, new Payment(id, clientId, null, 700_000 + id, LocalDateTime.ofInstant(now, zone).withNano(0),
                kopecks, false, now, Defect.NONE));
        return id;
    }

    /** Money given back for a counter sale (transaction {@code saleId}), naming its document; returns its id. */
    public synchronized int refundGoods(int saleId, long kopecks, Instant now) {
        int id = nextTransactionId++;
        Payment sale = transaction(saleId);
        changedTransactions.put(id, new Payment(id, sale.clientId(), null, sale.documentId(),
                LocalDateTime.ofInstant(now, zone).withNano(0), -kopecks, false, now, Defect.NONE));
        return id;
    }

    /** The source id staging gives the sale of goods of a counter transaction. */
    public synchronized String goodsSaleId(int transactionId) {
        return "document-" + transaction(transactionId).documentId();
    }

    public synchronized void renameClient(int id, String name, Instant now) {
        Client c = client(id);
        changedClients.put(id, new Client(id, name, c.phone(), now, c.defect()));
    }

    /** The first records (by id) that are well-formed and match the predicate, for tests that pick their changes. */
    public synchronized List<Integer> records(java.util.function.Predicate<Visit> predicate, int limit) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id < nextRecordId && ids.size() < limit; id++) {
            Visit v = record(id);
            if (v.defect() == Defect.NONE && predicate.test(v)) ids.add(id);
        }
        return ids;
    }

    // ---- what the hub should end up with --------------------------------------------------------------

    /** What staging must hold after a complete sync of this company. */
    public synchronized YclientsTruth truth() {
        int sales = 0, completed = 0, customers = 0, payments = 0;
        long completedKopecks = 0, paymentKopecks = 0;
        Map<String, List<String>> rejected = new HashMap<>();
        for (int id = 1; id < nextRecordId; id++) {
            Visit v = record(id);
            if (v.defect() != Defect.NONE) {
                rejected.computeIfAbsent("records", k -> new ArrayList<>()).add(v.defect() == Defect.NO_ID ? null : Integer.toString(id));
                continue;
            }
            sales++;
            if (!v.deleted() && v.attendance() == 1) {
                completed++;
                completedKopecks += v.totalKopecks();
            }
        }
        for (int id = 1; id <= clientCount; id++) {
            Client c = client(id);
            if (c.defect() != Defect.NONE) {
                rejected.computeIfAbsent("clients", k -> new ArrayList<>()).add(null);
            } else {
                customers++;
            }
        }
        Map<Integer, Long> goods = new HashMap<>();
        for (int id = 1; id < nextTransactionId; id++) {
            Payment p = transaction(id);
            if (p.defect() != Defect.NONE) {
                rejected.computeIfAbsent("transactions", k -> new ArrayList<>()).add(Integer.toString(id));
                continue;
            }
            if (p.counterSale()) {
                goods.merge(p.documentId(), p.kopecks() > 0 && !p.deleted() ? p.kopecks() : 0, Long::sum);
            }
            if (!p.deleted()) {
                payments++;
                paymentKopecks += p.kopecks();
            }
        }
        // a counter sale is a sale row of its own, completed while money came in for it
        sales += goods.size();
        for (long kopecks : goods.values()) {
            if (kopecks > 0) {
                completed++;
                completedKopecks += kopecks;
            }
        }
        return new YclientsTruth(customers, sales, completed, completedKopecks, payments, paymentKopecks, rejected);
    }
}
