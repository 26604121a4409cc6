package ru.svoykrug.hub.simulate.bitrix24;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The CRM of one simulated Bitrix24 portal: contacts and deals generated from a seed and a size over the
 * year before {@code historyEnd} (modified in the order of their ids), plus the changes a test makes.
 * A change made now gets the current second; a deleted deal is gone from every list, as in Bitrix24.
 *
 * <p>Variation where portals vary: one contact in ten has no phone (no {@code PHONE} key at all), one in
 * six has two; one deal in five is in another funnel ({@code C1:} stages); one deal in seven has its
 * {@code OPPORTUNITY} written without decimals.
 */
public final class Bitrix24DataSet {

    static final Duration HISTORY_SPAN = Duration.ofDays(364);
    /** Stages of the general funnel and their semantics: S won, F lost, P in progress. */
    static final String[] OPEN_STAGES = {"NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE"};

    final long seed;
    final int dealCount;
    final int contactCount;
    final int malformedEvery;
    final ZoneId zone;
    final Instant historyStart;
    private final TreeMap<Integer, Deal> changedDeals = new TreeMap<>();
    private final TreeMap<Integer, Contact> changedContacts = new TreeMap<>();
    private final Set<Integer> deletedDeals = new HashSet<>();
    private int nextDealId;
    private long lastChange;

    /** How a malformed deal is broken (each names one field a mapper must refuse). */
    public enum Defect { NONE, BAD_OPPORTUNITY, BAD_CLOSEDATE, UNKNOWN_SEMANTIC }

    public record Contact(int id, String name, String lastName, List<String> phones, Instant created, Instant modified) {
    }

    /** {@code contactId} 0: a deal without a contact; {@code stageId} with its funnel prefix ({@code C1:WON}). */
    public record Deal(int id, int contactId, String stageId, long kopecks, Instant created, Instant closed, Instant modified,
                       Defect defect) {
        /** S won, F lost, P in progress, from the stage. */
        public String semantic() {
            String stage = stageId.substring(stageId.indexOf(':') + 1);
            return stage.equals("WON") ? "S" : stage.equals("LOSE") || stage.equals("APOLOGY") ? "F" : "P";
        }

        public boolean won() {
            return semantic().equals("S");
        }
    }

    /**
     * @param deals          deals in the portal's history (a contact per two)
     * @param malformedEvery every n-th deal is malformed (0: none)
     */
    public Bitrix24DataSet(long seed, int deals, int malformedEvery, ZoneId zone, Instant historyEnd) {
        this.seed = seed;
        this.dealCount = deals;
        this.contactCount = Math.max(1, deals / 2);
        this.malformedEvery = malformedEvery;
        this.zone = zone;
        this.historyStart = historyEnd.truncatedTo(ChronoUnit.SECONDS).minus(HISTORY_SPAN);
        this.nextDealId = deals + 1;
    }

    public static Bitrix24DataSet of(long seed, int deals) {
        return new Bitrix24DataSet(seed, deals, 0, ZoneId.of("Europe/Moscow"), Instant.now());
    }

    // ---- the generated history ------------------------------------------------------------------------

    private Contact baseContact(int id) {
        Instant modified = baseChange(id, contactCount);
        List<String> phones = switch (id % 30) {
            case 9, 19, 29 -> List.of();
            case 5, 11, 17, 23 -> List.of(phoneOf(id), phoneOf(id + 100_000));
            default -> List.of(phoneOf(id));
        };
        return new Contact(id, "Контакт", "№" + id, phones, modified.minus(Duration.ofDays(30)), modified);
    }

    private Deal baseDeal(int id) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + id * 2_654_435_761L);
        Instant modified = baseChange(id, dealCount);
        int roll = rnd.nextInt(100);
        String stage = roll < 55 ? "WON" : roll < 65 ? "LOSE" : roll < 70 ? "APOLOGY" : OPEN_STAGES[rnd.nextInt(OPEN_STAGES.length)];
        if (id % 5 == 0) {
            stage = "C1:" + stage;
        }
        int contact = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(contactCount);
        long kopecks = 100L * (500 + rnd.nextInt(60_000)) + (id % 7 == 0 ? 0 : 50L * rnd.nextInt(2));
        Instant created = modified.minus(Duration.ofDays(1 + rnd.nextInt(30)));
        Instant closed = stage.endsWith("WON") || stage.endsWith("LOSE") || stage.endsWith("APOLOGY") ? modified.minusSeconds(rnd.nextInt(3_600)) : null;
        return new Deal(id, contact, stage, kopecks, created, closed, modified, defect(id));
    }

    private Defect defect(int id) {
        if (malformedEvery <= 0 || id % malformedEvery != 0) {
            return Defect.NONE;
        }
        Defect[] kinds = {Defect.BAD_OPPORTUNITY, Defect.BAD_CLOSEDATE, Defect.UNKNOWN_SEMANTIC};
        return kinds[(id / malformedEvery) % kinds.length];
    }

    /** The n-th of count changes spread over the year, whole seconds, strictly growing with n. */
    private Instant baseChange(int n, int count) {
        long seconds = HISTORY_SPAN.toSeconds() * n / Math.max(1, count + 1L);
        return historyStart.plusSeconds(Math.max(seconds, n));
    }

    /** A phone as people type it into a CRM card. */
    static String phoneOf(int id) {
        String digits = String.format("%07d", (id * 7919L) % 10_000_000L);
        String code = "9" + (10 + id % 90);
        return switch (id % 3) {
            case 0 -> "+7" + code + digits;
            case 1 -> "8 (" + code + ") " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
            default -> "7" + code + digits;
        };
    }

    // ---- the current state ------------------------------------------------------------------------------

    /** The deal, null when it never existed or was deleted. */
    public synchronized Deal deal(int id) {
        if (deletedDeals.contains(id)) {
            return null;
        }
        Deal changed = changedDeals.get(id);
        return changed != null ? changed : id <= dealCount ? baseDeal(id) : null;
    }

    public synchronized Contact contact(int id) {
        Contact changed = changedContacts.get(id);
        return changed != null ? changed : id <= contactCount ? baseContact(id) : null;
    }

    public synchronized List<Deal> deals() {
        List<Deal> all = new ArrayList<>();
        for (int id = 1; id < nextDealId; id++) {
            Deal d = deal(id);
            if (d != null) all.add(d);
        }
        return all;
    }

    public synchronized List<Contact> contacts() {
        List<Contact> all = new ArrayList<>();
        for (int id = 1; id <= contactCount; id++) {
            all.add(contact(id));
        }
        return all;
    }

    public int contactCount() {
        return contactCount;
    }

    public ZoneId zone() {
        return zone;
    }

    // ---- changes a test makes -----------------------------------------------------------------------------

    /** The current second, never earlier than the previous change: DATE_MODIFY is in seconds. */
    private Instant now() {
        lastChange = Math.max(lastChange, Instant.now().getEpochSecond());
        return Instant.ofEpochSecond(lastChange);
    }

    /** Moves a deal to a stage of its funnel ({@code WON}, {@code LOSE}, {@code EXECUTING}, ...). */
    public synchronized void moveTo(int id, String stage) {
        Deal d = deal(id);
        String funnel = d.stageId().contains(":") ? d.stageId().substring(0, d.stageId().indexOf(':') + 1) : "";
        Instant now = now();
        boolean closes = stage.equals("WON") || stage.equals("LOSE") || stage.equals("APOLOGY");
        changedDeals.put(id, new Deal(id, d.contactId(), funnel + stage, d.kopecks(), d.created(), closes ? now : null, now, d.defect()));
    }

    /** A new won deal of a contact; returns its id. */
    public synchronized int addWonDeal(int contactId, long kopecks) {
        int id = nextDealId++;
        Instant now = now();
        changedDeals.put(id, new Deal(id, contactId, "WON", kopecks, now.minusSeconds(3_600), now, now, Defect.NONE));
        return id;
    }

    /** Deleted in the portal: no list shows it any more (only an outbound event would tell). */
    public synchronized void delete(int id) {
        deletedDeals.add(id);
    }

    public synchronized void renameContact(int id, String lastName) {
        Contact c = contact(id);
        changedContacts.put(id, new Contact(id, c.name(), lastName, c.phones(), c.created(), now()));
    }

    /** Deal ids matching a condition, the first {@code count} of them. */
    public synchronized int[] deals(Predicate<Deal> condition, int count) {
        return deals().stream().filter(d -> d.defect() == Defect.NONE && condition.test(d)).limit(count).mapToInt(Deal::id).toArray();
    }

    // ---- what the hub should end up with ------------------------------------------------------------------

    /** What staging must hold after a first complete sync of the portal as it is now. */
    public synchronized Bitrix24Truth truth() {
        int rows = 0, won = 0, lost = 0, rejected = 0;
        long wonKopecks = 0;
        for (Deal d : deals()) {
            if (d.defect() != Defect.NONE) {
                rejected++;
                continue;
            }
            rows++;
            if (d.won()) {
                won++;
                wonKopecks += d.kopecks();
            } else if (d.semantic().equals("F")) {
                lost++;
            }
        }
        return new Bitrix24Truth(contactCount, rows, won, wonKopecks, lost, rejected);
    }
}
