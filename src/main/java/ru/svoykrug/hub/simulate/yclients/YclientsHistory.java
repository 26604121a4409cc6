package ru.svoykrug.hub.simulate.yclients;

import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Client;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Defect;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Payment;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet.Visit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.SplittableRandom;

import static ru.svoykrug.hub.simulate.yclients.YclientsDataSet.HISTORY_SPAN;

/**
 * The year of a YCLIENTS company's history as it was before any test changed it: every record, client
 * and transaction generated from the seed and its id alone, so none is kept in memory.
 */
record YclientsHistory(long seed, int recordCount, int clientCount, int transactionCount, int malformedEvery, ZoneId zone,
                       Instant historyStart) {

    Visit record(int id) {
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

    Client client(int id) {
        return new Client(id, "Клиент " + id, phoneOf(id), baseChange(id, clientCount), defect(id, 1) == Defect.NONE ? Defect.NONE : Defect.NO_ID);
    }

    /**
     * Transaction n pays record 2n; every tenth is instead a sale of goods at the counter (no visit), and
     * every twentieth, five after such a sale, gives back half of that sale.
     */
    Payment transaction(int id) {
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
            Payment sale = transaction(id - 5);
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
}
