package ru.svoykrug.hub.nightly;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Nights may be asked for in any order (an operator re-runs an old date, a mistake): whatever nights ran
 * before, the night of the latest date leaves tiers, activity, RFM and the ledger exactly as one night
 * of that date over everything. Random histories and random sequences of dates, seeded so a failure
 * repeats; a few short sequences, as each night costs a second.
 */
class AnyOrderNightTest extends NightScenario {

    private static final LocalDate LATEST = LocalDate.of(2026, 11, 20);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {17, 4242, 90210})
    void nightsInAnyOrderThenTheLatestEqualOneNightOfTheLatest(long seed) {
        Random random = new Random(seed);
        String salonId = "any-" + seed + "-salon";
        String cafeId = "any-" + seed + "-cafe";
        StagingFixture salon = partner(salonId);
        StagingFixture cafe = partner(cafeId);
        String phones = "+7916" + String.format("%03d", seed % 1000) + "5";
        for (int k = 0; k < 14; k++) {
            String phone = phones + String.format("%03d", k);
            salon.customer("s" + k, k % 5 == 4 ? null : phone);
            cafe.customer("c" + k, k % 4 == 3 ? null : phone);
            // spenders from a few purchases a year to Gold (100,000 roubles in 12 months)
            int sales = 1 + random.nextInt(k % 3 == 0 ? 12 : 4);
            for (int n = 0; n < sales; n++) {
                StagingFixture at = random.nextBoolean() ? salon : cafe;
                String ref = (at == salon ? "s" : "c") + k;
                LocalDate day = LATEST.minusDays(random.nextInt(520)).plusDays(random.nextInt(20) == 0 ? 3 : 0);
                long roubles = 500 + random.nextInt(k % 3 == 0 ? 40_000 : 6_000);
                String sale = at.sale(ref, day, roubles);
                int fate = random.nextInt(10);
                if (fate == 0) {
                    at.setStatus(sale, "VOID");
                } else if (fate == 1) {
                    at.refund(sale, day.plusDays(random.nextInt(30)), 1 + random.nextInt((int) roubles));
                }
            }
        }

        CoreSnapshot.emptyCore(jdbc);
        List<LocalDate> dates = new ArrayList<>();
        for (int n = 0; n < 3 + random.nextInt(2); n++) {
            dates.add(random.nextInt(4) == 0 ? LATEST.minusDays(random.nextInt(3))
                    : LATEST.minusDays(random.nextInt(random.nextBoolean() ? 40 : 500)));
        }
        dates.add(LATEST);
        for (LocalDate date : dates) {
            night(date);
        }
        CoreSnapshot mine = new CoreSnapshot(jdbc, salonId, cafeId);
        Map<String, List<Map<String, Object>>> afterTheSequence = mine.take();

        CoreSnapshot.emptyCore(jdbc);
        night(LATEST);
        Map<String, List<Map<String, Object>>> oneNight = mine.take();
        CoreSnapshot.assertSameCore(afterTheSequence, oneNight, "after the nights of " + dates);
    }
}
