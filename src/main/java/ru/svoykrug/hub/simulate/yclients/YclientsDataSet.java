package ru.svoykrug.hub.simulate.yclients;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    final int recordCount;
    final int clientCount;
    final int transactionCount;
    final ZoneId zone;
    private final YclientsHistory history;

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
        this.recordCount = records;
        this.clientCount = Math.max(1, records / 5);
        this.transactionCount = records / 2;
        this.zone = zone;
        this.history = new YclientsHistory(seed, records, clientCount, transactionCount, malformedEvery, zone,
                historyEnd.minus(HISTORY_SPAN));
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
        return changed != null ? changed : history.record(id);
    }

    synchronized Client client(int id) {
        Client changed = changedClients.get(id);
        return changed != null ? changed : history.client(id);
    }

    synchronized Payment transaction(int id) {
        Payment changed = changedTransactions.get(id);
        return changed != null ? changed : history.transaction(id);
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
                if (history.baseChange(mid, baseCount).isBefore(since)) lo = mid + 1; else hi = mid;
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
