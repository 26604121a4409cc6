package ru.svoykrug.hub.simulate.amocrm;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The data of one simulated amoCRM account: contacts and leads generated deterministically from a seed
 * and a size (any record is produced on demand), plus the changes a test makes between two syncs. Base
 * records change over 2025, in the order of their ids; a change made now gets the current second.
 * Every 17th lead is deleted and shows only under {@code with=only_deleted}; every 10th contact has no
 * custom fields at all ({@code custom_fields_values: null}).
 */
public final class AmocrmDataSet {

    public static final int WON = 142;
    public static final int LOST = 143;
    static final int[] OPEN_STATUSES = {10_001, 10_002, 10_003};
    private static final long HISTORY_START = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();
    private static final long HISTORY_SPAN = Duration.ofDays(364).toSeconds();

    final long seed;
    final int leadCount;
    final int contactCount;
    private final Map<Integer, Lead> changedLeads = new HashMap<>();
    private final Map<Integer, Contact> changedContacts = new HashMap<>();
    private int nextLeadId;
    private long lastChange;
    private final Map<String, int[]> orders = new HashMap<>();
    private final Map<String, Runnable> changesAfterPages = new java.util.concurrent.ConcurrentHashMap<>();

    public AmocrmDataSet(long seed, int leads) {
        this.seed = seed;
        this.leadCount = leads;
        this.contactCount = Math.max(1, leads / 2);
        this.nextLeadId = leads + 1;
    }

    public record Lead(int id, Integer contactId, int status, Long price, long createdAt, Long closedAt, long updatedAt,
                       boolean deleted) {
        public boolean won() {
            return status == WON && !deleted;
        }
    }

    public record Contact(int id, String name, String phone, boolean noCustomFields, long updatedAt) {
    }

    // ---- the generated history ------------------------------------------------------------------------

    private Lead baseLead(int id) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + id);
        long updated = HISTORY_START + HISTORY_SPAN * id / (leadCount + 1);
        int roll = rnd.nextInt(100);
        int status = roll < 55 ? WON : roll < 70 ? LOST : OPEN_STATUSES[rnd.nextInt(OPEN_STATUSES.length)];
        Long price = status != WON && rnd.nextInt(10) == 0 ? null : 500L + rnd.nextInt(60_000);
        Integer contact = rnd.nextInt(20) == 0 ? null : 1 + rnd.nextInt(contactCount);
        long created = updated - 86_400L * (1 + rnd.nextInt(30));
        Long closed = status == WON || status == LOST ? updated - rnd.nextInt(3_600) : null;
        return new Lead(id, contact, status, price, created, closed, updated, id % 17 == 0);
    }

    private Contact baseContact(int id) {
        long updated = HISTORY_START + HISTORY_SPAN * id / (contactCount + 1);
        return new Contact(id, "Контакт " + id, phoneOf(id), id % 10 == 0, updated);
    }

    /** The ways people type one Russian mobile number into a free-text field. */
    static String phoneOf(int id) {
        String digits = String.format("%07d", (id * 7919L) % 10_000_000L);
        String code = "9" + (10 + id % 90);
        return switch (id % 4) {
            case 0 -> "+7 (" + code + ") " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
            case 1 -> "8 " + code + " " + digits;
            case 2 -> "7" + code + digits;
            default -> "8(" + code + ")" + digits;
        };
    }

    // ---- the current state ------------------------------------------------------------------------------

    public synchronized Lead lead(int id) {
        Lead changed = changedLeads.get(id);
        return changed != null ? changed : id <= leadCount ? baseLead(id) : null;
    }

    public synchronized Contact contact(int id) {
        Contact changed = changedContacts.get(id);
        return changed != null ? changed : baseContact(id);
    }

    public int contactCount() {
        return contactCount;
    }

    public synchronized int leadCount() {
        return nextLeadId - 1;
    }

    /** Ids of one listing ({@code contacts}, {@code leads} or {@code deleted}) in ascending order of change. */
    synchronized int[] listing(String kind) {
        return orders.computeIfAbsent(kind, k -> switch (k) {
            case "contacts" -> sorted(contactCount, id -> true, id -> contact(id).updatedAt());
            case "leads" -> sorted(nextLeadId - 1, id -> !lead(id).deleted(), id -> lead(id).updatedAt());
            case "deleted" -> sorted(nextLeadId - 1, id -> lead(id).deleted(), id -> lead(id).updatedAt());
            default -> throw new IllegalArgumentException(k);
        });
    }

    synchronized long updatedAt(String kind, int id) {
        return kind.equals("contacts") ? contact(id).updatedAt() : lead(id).updatedAt();
    }

    private static int[] sorted(int count, IntPredicate keep, java.util.function.IntToLongFunction updated) {
        int[] ids = java.util.stream.IntStream.rangeClosed(1, count).filter(keep).toArray();
        boolean ordered = true;
        for (int i = 1; i < ids.length && ordered; i++) {
            ordered = updated.applyAsLong(ids[i - 1]) <= updated.applyAsLong(ids[i]);
        }
        if (ordered) {
            return ids;
        }
        return Arrays.stream(ids).boxed()
                .sorted(java.util.Comparator.<Integer>comparingLong(updated::applyAsLong).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    // ---- changes a test makes -----------------------------------------------------------------------------

    /** The current second, never earlier than the previous change: amoCRM's updated_at is in seconds. */
    private long now() {
        lastChange = Math.max(lastChange, Instant.now().getEpochSecond());
        return lastChange;
    }

    private void put(Lead lead) {
        changedLeads.put(lead.id(), lead);
        orders.clear();
    }

    public synchronized void setStatus(int id, int status) {
        Lead l = lead(id);
        long now = now();
        put(new Lead(id, l.contactId(), status, status == WON && l.price() == null ? 1_000L : l.price(), l.createdAt(),
                status == WON || status == LOST ? now : null, now, l.deleted()));
    }

    public synchronized void delete(int id) {
        Lead l = lead(id);
        put(new Lead(id, l.contactId(), l.status(), l.price(), l.createdAt(), l.closedAt(), now(), true));
    }

    /** A new won lead of a contact; returns its id. */
    public synchronized int addWonLead(int contactId, long priceRoubles) {
        int id = nextLeadId++;
        long now = now();
        put(new Lead(id, contactId, WON, priceRoubles, now - 3_600, now, now, false));
        return id;
    }

    public synchronized void renameContact(int id, String name) {
        Contact c = contact(id);
        changedContacts.put(id, new Contact(id, name, c.phone(), c.noCustomFields(), now()));
        orders.clear();
    }

    /**
     * A change made in the account while a sync lists it, once, right after page {@code page} of {@code kind}
     * ({@code contacts}, {@code leads} or {@code deleted}) is served: a user editing a lead mid-run.
     */
    public void changeAfterPage(String kind, int page, Runnable change) {
        changesAfterPages.put(kind + "#" + page, change);
    }

    /** Called by the listing once it has served a page. */
    void served(String kind, int page) {
        Runnable change = changesAfterPages.remove(kind + "#" + page);
        if (change != null) {
            change.run();
        }
    }

    /** Lead ids matching a condition, first {@code count} of them. */
    public synchronized int[] leads(java.util.function.Predicate<Lead> condition, int count) {
        return java.util.stream.IntStream.rangeClosed(1, nextLeadId - 1).filter(id -> condition.test(lead(id)))
                .limit(count).toArray();
    }

    /** What staging must hold after a complete sync. */
    public synchronized AmocrmTruth truth() {
        int sales = 0, won = 0;
        long wonKopecks = 0;
        for (int id = 1; id < nextLeadId; id++) {
            Lead l = lead(id);
            sales++;
            if (l.won()) {
                won++;
                wonKopecks += l.price() * 100;
            }
        }
        return new AmocrmTruth(contactCount, sales, won, wonKopecks);
    }
}
