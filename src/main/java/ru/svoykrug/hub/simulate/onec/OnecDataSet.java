package ru.svoykrug.hub.simulate.onec;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The data of one simulated 1C infobase, generated from a seed and a size: receipts spread over the
 * year before {@code until} (one every few minutes, newest last), customers with phones in their
 * contact information, and a discount card per customer. Any object is produced on demand; the changes
 * a test makes (un-post, mark deleted, turn into a return, a back-dated receipt) are kept apart and
 * each moves the object's {@code DataVersion} on.
 */
public final class OnecDataSet {

    static final Duration HISTORY_SPAN = Duration.ofDays(365);

    final long seed;
    final int receiptCount;
    final int customerCount;
    final int malformedEvery;
    final ZoneId zone;
    final LocalDateTime historyStart;
    final LocalDateTime until;

    private final TreeMap<Integer, Receipt> changed = new TreeMap<>();
    private int nextReceiptId;

    /** How a malformed receipt is broken (the kinds 1C servers were seen to send). */
    public enum Defect { NONE, BAD_AMOUNT, EMPTY_DATE, UNKNOWN_OPERATION }

    /** {@code saleId}: the sale receipt a return returns ({@code ЧекККМПродажа_Key}), 0 for a sale. */
    public record Receipt(int id, LocalDateTime date, boolean posted, boolean deletionMark, boolean isReturn,
                          long kopecks, int cardId, int version, Defect defect, int saleId) {
        Receipt withVersion(int v) {
            return new Receipt(id, date, posted, deletionMark, isReturn, kopecks, cardId, v, defect, saleId);
        }
    }

    public OnecDataSet(long seed, int receipts, int malformedEvery, ZoneId zone, Instant until) {
        this.seed = seed;
        this.receiptCount = receipts;
        this.customerCount = Math.max(1, receipts / 5);
        this.malformedEvery = malformedEvery;
        this.zone = zone;
        this.until = LocalDateTime.ofInstant(until.truncatedTo(ChronoUnit.SECONDS), zone);
        this.historyStart = this.until.minus(HISTORY_SPAN);
        this.nextReceiptId = receipts + 1;
    }

    public static OnecDataSet of(long seed, int receipts) {
        return new OnecDataSet(seed, receipts, 0, ZoneId.of("Europe/Moscow"), Instant.now());
    }

    // ---- the generated infobase -----------------------------------------------------------------------

    public synchronized Receipt receipt(int id) {
        Receipt r = changed.get(id);
        return r != null ? r : baseReceipt(id);
    }

    private Receipt baseReceipt(int id) {
        Receipt r = unlinkedReceipt(id);
        if (!r.isReturn()) {
            return r;
        }
        int sale = soldBy(id);
        // a return gives back at most what was paid, on the card of the sale
        Receipt s = sale == 0 ? null : unlinkedReceipt(sale);
        return new Receipt(id, r.date(), r.posted(), r.deletionMark(), true, s == null ? r.kopecks() : Math.min(r.kopecks(), s.kopecks()),
                s == null ? r.cardId() : s.cardId(), 1, r.defect(), sale);
    }

    private Receipt unlinkedReceipt(int id) {
        SplittableRandom rnd = random(1, id);
        boolean posted = rnd.nextInt(100) < 95;
        boolean deletion = rnd.nextInt(100) < 2;
        boolean isReturn = rnd.nextInt(10) == 0;
        long kopecks = 10_000 + 10L * rnd.nextInt(0, 49_000); // 100.00 .. 5 000.00 roubles
        int card = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(customerCount);
        return new Receipt(id, baseDate(id), posted, deletion, isReturn, kopecks, card, 1, defect(id), 0);
    }

    /** The sale a return at {@code id} returns: the nearest earlier well-formed base sale, 0 when none. */
    private int soldBy(int id) {
        for (int j = Math.min(id - 1, receiptCount); j >= 1 && j > id - 50; j--) {
            Receipt r = unlinkedReceipt(j);
            if (!r.isReturn() && r.defect() == Defect.NONE) {
                return j;
            }
        }
        return 0;
    }

    /** Base receipts are dated strictly in id order, whole seconds, over the year before {@code until}. */
    LocalDateTime baseDate(int id) {
        long seconds = HISTORY_SPAN.toSeconds() * id / (receiptCount + 1L);
        return historyStart.plusSeconds(Math.max(seconds, id));
    }

    private Defect defect(int id) {
        if (malformedEvery <= 0 || id % malformedEvery != 0) {
            return Defect.NONE;
        }
        Defect[] kinds = {Defect.BAD_AMOUNT, Defect.EMPTY_DATE, Defect.UNKNOWN_OPERATION};
        return kinds[(id / malformedEvery) % kinds.length];
    }

    /** A reference whose text sorts in id order within its kind, as {@code $orderby=Ref_Key} needs. */
    String ref(int kind, int id) {
        long prefix = (new SplittableRandom(seed * 31 + kind).nextLong() & 0x7fffffffL) | 0x10000000L;
        return String.format("%08x-0000-4000-8000-%012x", prefix, id);
    }

    /** The {@code Ref_Key} of a receipt, as staging keeps it. */
    public String receiptRef(int id) {
        return ref(1, id);
    }

    static String version(int id, int version) {
        return java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(8).putInt(id).putInt(version).array());
    }

    /** A phone as shop staff type it, or (one customer in eight) none. */
    static String phoneOf(int customerId) {
        if (customerId % 8 == 7) {
            return null;
        }
        String digits = String.format("%07d", (customerId * 7919L) % 10_000_000L);
        String code = "9" + (10 + customerId % 90);
        return switch (customerId % 3) {
            case 0 -> "+7 (" + code + ") " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5);
            case 1 -> "8 " + code + " " + digits;
            default -> "7" + code + digits;
        };
    }

    // ---- the view $filter, $orderby and $skip see ----------------------------------------------------

    /** Receipts dated at or after {@code from} (all when null), ordered by date then id. */
    synchronized Ordered receiptsFrom(LocalDateTime from) {
        int firstBase = 1;
        if (from != null) {
            int lo = 1, hi = receiptCount + 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (baseDate(mid).isBefore(from)) lo = mid + 1; else hi = mid;
            }
            firstBase = lo;
        }
        List<Receipt> added = new ArrayList<>();
        for (Receipt r : changed.tailMap(receiptCount, false).values()) {
            if (from == null || !r.date().isBefore(from)) added.add(r);
        }
        added.sort((a, b) -> a.date().equals(b.date()) ? Integer.compare(a.id(), b.id()) : a.date().compareTo(b.date()));
        return new Ordered(firstBase, receiptCount, added);
    }

    /** A base id range merged with a few added receipts, by date. */
    final class Ordered {
        private final int from;
        private final int to;
        private final List<Receipt> added;

        Ordered(int from, int to, List<Receipt> added) {
            this.from = from;
            this.to = to;
            this.added = added;
        }

        int size() {
            return Math.max(0, to - from + 1) + added.size();
        }

        int get(int index) {
            int addedBefore = 0;
            for (Receipt a : added) {
                // base ids before this added one, at this index
                int baseBefore = countBaseBefore(a.date());
                if (baseBefore + addedBefore == index) return a.id();
                if (baseBefore + addedBefore > index) break;
                addedBefore++;
            }
            return from + index - addedBefore;
        }

        private int countBaseBefore(LocalDateTime date) {
            int lo = from, hi = to + 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (!baseDate(mid).isAfter(date)) lo = mid + 1; else hi = mid;
            }
            return lo - from;
        }
    }

    // ---- changes between two syncs ------------------------------------------------------------------

    public synchronized void unpost(int id) {
        Receipt r = receipt(id);
        changed.put(id, new Receipt(id, r.date(), false, r.deletionMark(), r.isReturn(), r.kopecks(), r.cardId(), r.version() + 1, r.defect(), r.saleId()));
    }

    public synchronized void markDeleted(int id) {
        Receipt r = receipt(id);
        changed.put(id, new Receipt(id, r.date(), r.posted(), true, r.isReturn(), r.kopecks(), r.cardId(), r.version() + 1, r.defect(), r.saleId()));
    }

    public synchronized void turnIntoReturn(int id) {
        Receipt r = receipt(id);
        changed.put(id, new Receipt(id, r.date(), r.posted(), r.deletionMark(), true, r.kopecks(), r.cardId(), r.version() + 1, r.defect(),
                soldBy(id)));
    }

    /** The sale a return receipt names, 0 for none. */
    public synchronized int saleOf(int returnId) {
        return receipt(returnId).saleId();
    }

    /** A posted return of part of sale {@code saleId}, entered now and dated {@code date}; returns its id. */
    public synchronized int addReturn(int saleId, LocalDateTime date, long kopecks) {
        int id = nextReceiptId++;
        changed.put(id, new Receipt(id, date, true, false, true, kopecks, receipt(saleId).cardId(), 1, Defect.NONE, saleId));
        return id;
    }

    /** Saved again without a change that matters: only the DataVersion moves. */
    public synchronized void resave(int id) {
        changed.put(id, receipt(id).withVersion(receipt(id).version() + 1));
    }

    /** A posted sale entered today but dated {@code date}; returns its id. */
    public synchronized int addBackdated(LocalDateTime date, long kopecks, int cardId) {
        int id = nextReceiptId++;
        changed.put(id, new Receipt(id, date, true, false, false, kopecks, cardId, 1, Defect.NONE, 0));
        return id;
    }

    /** The first well-formed receipts dated at or after {@code from} that are effective sales. */
    public synchronized List<Integer> postedSalesSince(LocalDateTime from, int limit) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id < nextReceiptId && ids.size() < limit; id++) {
            Receipt r = receipt(id);
            if (r.defect() == Defect.NONE && r.posted() && !r.deletionMark() && !r.isReturn() && !r.date().isBefore(from)) {
                ids.add(id);
            }
        }
        return ids;
    }

    public LocalDateTime until() {
        return until;
    }

    // ---- what the hub should end up with ------------------------------------------------------------

    public synchronized OnecTruth truth() {
        int rows = 0, sales = 0, refunds = 0, customers = customerCount, withoutCard = 0;
        long saleKopecks = 0, refundKopecks = 0;
        Map<String, Integer> rejected = new HashMap<>();
        for (int id = 1; id < nextReceiptId; id++) {
            Receipt r = receipt(id);
            if (r.defect() != Defect.NONE) {
                rejected.merge("receipts", 1, Integer::sum);
                continue;
            }
            rows++;
            if (r.cardId() == 0) {
                withoutCard++;
            }
            if (r.posted() && !r.deletionMark()) {
                if (r.isReturn()) {
                    refunds++;
                    refundKopecks += r.kopecks();
                } else {
                    sales++;
                    saleKopecks += r.kopecks();
                }
            }
        }
        return new OnecTruth(customers, rows, sales, saleKopecks, refunds, refundKopecks, withoutCard, rejected);
    }

    private SplittableRandom random(int stream, int id) {
        return new SplittableRandom(seed * 1_000_003L + stream * 7_368_787L + id * 2_654_435_761L);
    }
}
