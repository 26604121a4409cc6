package ru.svoykrug.hub.simulate.renovatio;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
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
 * The data of one simulated clinic, generated from a seed and a size: appointments updated over the
 * year before {@code until} (in id order), an invoice for every third (one in four of them stands
 * alone: goods, certificates), a payment for every second appointment, patients with phones. Every record carries medical text a hub must never keep — see {@link #SECRETS}.
 */
public final class RenovatioDataSet {

    /** Text in every record that must not reach the hub's database or logs; each contains {@code МЕТКА}. */
    public static final List<String> SECRETS = List.of(
            "ДИАГНОЗ-МЕТКА J35.0 хронический тонзиллит",
            "УСЛУГА-МЕТКА УЗИ щитовидной железы",
            "ВРАЧ-МЕТКА Айболитова Ирина Петровна",
            "ПРОГРАММА-МЕТКА ДМС Премиум",
            "КОММЕНТАРИЙ-МЕТКА жалобы на боль в горле");

    static final Duration HISTORY_SPAN = Duration.ofDays(365);

    final long seed;
    final int appointmentCount;
    final int patientCount;
    final int malformedEvery;
    final ZoneId zone;
    final LocalDateTime historyStart;

    private final TreeMap<Integer, Appointment> changed = new TreeMap<>();
    private int nextId;

    public enum Defect { NONE, BAD_PRICE, BAD_TIME, BAD_STATUS, NO_ID }

    public record Appointment(int id, int patientId, LocalDateTime timeStart, LocalDateTime updated, String status,
                              long[] priceKopecks, int[] counts, Defect defect) {
        long totalKopecks() {
            long sum = 0;
            for (int i = 0; i < priceKopecks.length; i++) sum += priceKopecks[i] * counts[i];
            return sum;
        }
    }

    /** {@code appointmentId} 0 with an {@code invoiceId}: a payment that names its visit only through the invoice. */
    public record Payment(int id, int appointmentId, int invoiceId, int patientId, LocalDateTime date, long kopecks) {
    }

    /** {@code appointmentId} 0: an invoice of its own (goods, a certificate), a sale by itself. */
    public record Invoice(int id, int appointmentId, int patientId, LocalDateTime date, long kopecks, String status) {
    }

    public RenovatioDataSet(long seed, int appointments, int malformedEvery, ZoneId zone, Instant until) {
        this.seed = seed;
        this.appointmentCount = appointments;
        this.patientCount = Math.max(1, appointments / 4);
        this.malformedEvery = malformedEvery;
        this.zone = zone;
        this.historyStart = LocalDateTime.ofInstant(until.truncatedTo(ChronoUnit.MINUTES), zone).minus(HISTORY_SPAN);
        this.nextId = appointments + 1;
    }

    public static RenovatioDataSet of(long seed, int appointments) {
        return new RenovatioDataSet(seed, appointments, 0, ZoneId.of("Europe/Moscow"), Instant.now());
    }

    public synchronized Appointment appointment(int id) {
        Appointment a = changed.get(id);
        return a != null ? a : base(id);
    }

    private Appointment base(int id) {
        SplittableRandom rnd = random(1, id);
        LocalDateTime updated = baseUpdated(id);
        LocalDateTime start = updated.minusHours(rnd.nextInt(1, 48)).withMinute(rnd.nextBoolean() ? 0 : 30);
        int roll = rnd.nextInt(100);
        String status = roll < 75 ? "completed" : roll < 90 ? "upcoming" : "refused";
        int lines = 1 + rnd.nextInt(3);
        long[] prices = new long[lines];
        int[] counts = new int[lines];
        for (int i = 0; i < lines; i++) {
            prices[i] = 100_000 + 500L * rnd.nextInt(0, 1_000); // 1 000.00 .. 5 995.00 roubles
            counts[i] = 1 + rnd.nextInt(2);
        }
        return new Appointment(id, 1 + rnd.nextInt(patientCount), start, updated, status, prices, counts, defect(id));
    }

    /** Appointments are updated in id order, whole minutes, over the year. */
    LocalDateTime baseUpdated(int id) {
        long minutes = HISTORY_SPAN.toMinutes() * id / (appointmentCount + 1L);
        return historyStart.plusMinutes(minutes);
    }

    private Defect defect(int id) {
        if (malformedEvery <= 0 || id % malformedEvery != 0) {
            return Defect.NONE;
        }
        Defect[] kinds = {Defect.BAD_PRICE, Defect.BAD_TIME, Defect.BAD_STATUS, Defect.NO_ID};
        return kinds[(id / malformedEvery) % kinds.length];
    }

    private final List<Payment> addedPayments = new ArrayList<>();
    private final List<Invoice> addedInvoices = new ArrayList<>();

    synchronized int paymentCount() {
        return appointmentCount / 2 + addedPayments.size();
    }

    /**
     * Payment n pays appointment 2n, an hour after it started; every sixth names only the invoice that
     * bills that appointment (invoice 2n/3), as some Renovatio hosts do.
     */
    synchronized Payment payment(int n) {
        if (n > appointmentCount / 2) {
            return addedPayments.get(n - appointmentCount / 2 - 1);
        }
        Appointment a = base(2 * n);
        int invoice = 2 * n / 3;
        if (n % 6 == 0 && invoice % 4 != 0) {
            return new Payment(n, 0, invoice, a.patientId(), a.timeStart().plusHours(1), a.totalKopecks());
        }
        return new Payment(n, 2 * n, 0, a.patientId(), a.timeStart().plusHours(1), a.totalKopecks());
    }

    synchronized int invoiceCount() {
        return appointmentCount / 3 + addedInvoices.size();
    }

    /** A completed visit billed by an invoice of its own; returns the appointment's id. */
    public synchronized int addCompletedWithInvoice(int patientId, long kopecks, LocalDateTime now) {
        int id = addCompleted(patientId, kopecks, now);
        addedInvoices.add(new Invoice(invoiceCount() + 1, id, patientId, now, kopecks, "paid"));
        return id;
    }

    /** Money given back for a visit, by a payment that names only the visit's invoice; returns the payment's id. */
    public synchronized int refundThroughInvoice(int appointmentId, long kopecks, LocalDateTime now) {
        Invoice invoice = null;
        for (int n = 1; n <= invoiceCount() && invoice == null; n++) {
            if (invoice(n).appointmentId() == appointmentId) invoice = invoice(n);
        }
        if (invoice == null) {
            throw new IllegalArgumentException("no invoice bills appointment " + appointmentId);
        }
        int id = paymentCount() + 1;
        addedPayments.add(new Payment(id, 0, invoice.id(), invoice.patientId(), now, -kopecks));
        return id;
    }

    /** Invoice n bills appointment 3n, except every fourth, which stands alone. */
    synchronized Invoice invoice(int n) {
        if (n > appointmentCount / 3) {
            return addedInvoices.get(n - appointmentCount / 3 - 1);
        }
        LocalDateTime date = baseUpdated(3 * n).withSecond(0);
        if (n % 4 != 0) {
            Appointment a = base(3 * n);
            return new Invoice(n, 3 * n, a.patientId(), date, a.totalKopecks(), "paid");
        }
        SplittableRandom rnd = random(4, n);
        int roll = rnd.nextInt(100);
        String status = roll < 80 ? "paid" : roll < 95 ? "unpaid" : "cancelled";
        return new Invoice(n, 0, 1 + rnd.nextInt(patientCount), date, 50_000 + 100L * rnd.nextInt(0, 5_000), status);
    }

    static String phoneOf(int patientId) {
        if (patientId % 9 == 8) {
            return "";
        }
        String digits = String.format("%07d", (patientId * 7919L) % 10_000_000L);
        String code = "9" + (10 + patientId % 90);
        return patientId % 2 == 0 ? "+7 (" + code + ") " + digits.substring(0, 3) + "-" + digits.substring(3, 5) + "-" + digits.substring(5)
                : "8" + code + digits;
    }

    /** Appointments updated within {@code [from, to]}, in id order. */
    synchronized List<Appointment> updatedBetween(LocalDateTime from, LocalDateTime to) {
        List<Appointment> found = new ArrayList<>();
        int lo = 1, hi = appointmentCount + 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (baseUpdated(mid).isBefore(from)) lo = mid + 1; else hi = mid;
        }
        for (int id = lo; id <= appointmentCount && !baseUpdated(id).isAfter(to); id++) {
            if (!changed.containsKey(id)) found.add(base(id));
        }
        for (Appointment a : changed.values()) {
            if (!a.updated().isBefore(from) && !a.updated().isAfter(to)) found.add(a);
        }
        found.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return found;
    }

    // ---- changes between two syncs --------------------------------------------------------------------

    public synchronized void setStatus(int id, String status, LocalDateTime now) {
        Appointment a = appointment(id);
        changed.put(id, new Appointment(id, a.patientId(), a.timeStart(), now, status, a.priceKopecks(), a.counts(), a.defect()));
    }

    public synchronized int addCompleted(int patientId, long kopecks, LocalDateTime now) {
        int id = nextId++;
        changed.put(id, new Appointment(id, patientId, now.minusHours(1), now, "completed", new long[]{kopecks}, new int[]{1},
                Defect.NONE));
        return id;
    }

    public synchronized List<Integer> appointments(Predicate<Appointment> predicate, int limit) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id < nextId && ids.size() < limit; id++) {
            Appointment a = appointment(id);
            if (a.defect() == Defect.NONE && predicate.test(a)) ids.add(id);
        }
        return ids;
    }

    public ZoneId zone() {
        return zone;
    }

    // ---- what the hub should end up with --------------------------------------------------------------

    public synchronized RenovatioTruth truth() {
        int rows = 0, completed = 0, payments = 0, rejected = 0;
        long completedKopecks = 0, paymentKopecks = 0;
        Set<Integer> patients = new HashSet<>();
        for (int id = 1; id < nextId; id++) {
            Appointment a = appointment(id);
            if (a.defect() != Defect.NONE) {
                rejected++;
                continue;
            }
            rows++;
            patients.add(a.patientId());
            if (a.status().equals("completed")) {
                completed++;
                completedKopecks += a.totalKopecks();
            }
        }
        for (int n = 1; n <= invoiceCount(); n++) {
            Invoice invoice = invoice(n);
            if (invoice.appointmentId() == 0) {
                rows++;
                if (invoice.status().equals("paid")) {
                    completed++;
                    completedKopecks += invoice.kopecks();
                }
            }
        }
        for (int n = 1; n <= paymentCount(); n++) {
            payments++;
            paymentKopecks += payment(n).kopecks();
        }
        return new RenovatioTruth(patients.size(), rows, completed, completedKopecks, payments, paymentKopecks, rejected);
    }

    private SplittableRandom random(int stream, int id) {
        return new SplittableRandom(seed * 1_000_003L + stream * 7_368_787L + id * 2_654_435_761L);
    }
}
