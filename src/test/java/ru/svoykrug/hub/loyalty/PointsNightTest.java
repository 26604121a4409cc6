package ru.svoykrug.hub.loyalty;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.nightly.NightScenario;
import ru.svoykrug.hub.nightly.StagingFixture;
import ru.svoykrug.hub.nightly.StagingFixture.Balance;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Step 2: the points ledger, rule by rule (config/loyalty.yml: 5%, Silver from 30,000 x1.25, Gold from 100,000 x1.5, 14 days pending, 12 months active). */
class PointsNightTest extends NightScenario {

    @Test
    void pointsEarnAtThePartnersRateStayPendingFourteenDaysThenTurnActive() {
        StagingFixture shop = partner("points-default");
        StagingFixture own = partner("points-own-rate");
        shop.customer("p1", "+79165551001");
        own.customer("p1", "+79165551001");
        String first = shop.sale("p1", LocalDate.of(2025, 1, 10), 1000);
        String second = own.sale("p1", LocalDate.of(2025, 1, 12), 1000);

        night(LocalDate.of(2025, 1, 20));
        assertThat(shop.ledgerSum(first, "EARN")).isEqualTo(50);   // 5% of 1,000 roubles
        assertThat(own.ledgerSum(second, "EARN")).isEqualTo(100);  // this partner's own 10%
        assertThat(shop.balance("p1")).isEqualTo(new Balance(150, 0));

        night(LocalDate.of(2025, 1, 24)); // first sale + 14 days
        assertThat(shop.balance("p1")).isEqualTo(new Balance(100, 50));
        night(LocalDate.of(2025, 1, 26));
        assertThat(shop.balance("p1")).isEqualTo(new Balance(0, 150));
        assertThat(jdbc.queryForObject("SELECT effective_on FROM core.points_ledger WHERE connection_id = 'points-default' "
                + "AND source_id = ? AND entry_type = 'ACTIVATE'", LocalDate.class, first)).isEqualTo(LocalDate.of(2025, 1, 24));
    }

    @Test
    void aTierReachedBySpendMultipliesLaterEarnings() {
        StagingFixture shop = partner("points-tier");
        shop.customer("t1", "+79165551002");
        String base = shop.sale("t1", LocalDate.of(2025, 2, 1), 30_000);   // Base: 1,500 points; now Silver
        String silver = shop.sale("t1", LocalDate.of(2025, 2, 2), 70_000); // Silver x1.25: 4,375 points; now Gold
        String gold = shop.sale("t1", LocalDate.of(2025, 2, 3), 1_000);    // Gold x1.5: 75 points

        night(LocalDate.of(2025, 2, 5));

        assertThat(shop.ledgerSum(base, "EARN")).isEqualTo(1_500);
        assertThat(shop.ledgerSum(silver, "EARN")).isEqualTo(4_375);
        assertThat(shop.ledgerSum(gold, "EARN")).isEqualTo(75);
        assertThat(jdbc.queryForList("SELECT tier FROM core.points_ledger WHERE connection_id = 'points-tier' AND entry_type = 'EARN' "
                + "ORDER BY effective_on", String.class)).containsExactly("Base", "Silver", "Gold");
        assertThat(jdbc.queryForMap("SELECT tier, spend_12m_kopecks FROM core.customer_tier WHERE customer_id = ?", shop.customerId("t1")))
                .containsEntry("tier", "Gold").containsEntry("spend_12m_kopecks", 10_100_000L);
    }

    @Test
    void activePointsExpireTwelveMonthsAfterActivation() {
        StagingFixture shop = partner("points-expiry");
        shop.customer("e1", "+79165551003");
        String sale = shop.sale("e1", LocalDate.of(2024, 1, 1), 2_000);
        night(LocalDate.of(2024, 1, 20));
        assertThat(shop.balance("e1")).isEqualTo(new Balance(0, 100));

        night(LocalDate.of(2025, 1, 14)); // activated 2024-01-15: still active the day before
        assertThat(shop.balance("e1")).isEqualTo(new Balance(0, 100));
        night(LocalDate.of(2025, 1, 15));
        assertThat(shop.balance("e1")).isEqualTo(new Balance(0, 0));
        assertThat(shop.ledgerSum(sale, "EXPIRE")).isEqualTo(-100);
    }

    @Test
    void aRefundReversesItsShareAndAVoidAllOfIt() {
        StagingFixture shop = partner("points-refund");
        shop.customer("r1", "+79165551004");
        String refunded = shop.sale("r1", LocalDate.of(2025, 3, 1), 10_000); // 500 points
        String voided = shop.sale("r1", LocalDate.of(2025, 3, 2), 2_000);    // 100 points
        night(LocalDate.of(2025, 3, 5));

        shop.refund(refunded, LocalDate.of(2025, 3, 6), 2_500); // a quarter of it
        shop.setStatus(voided, "VOID");
        night(LocalDate.of(2025, 3, 7));

        assertThat(shop.ledgerSum(refunded, "REVERSE")).isEqualTo(-125);
        assertThat(shop.ledgerSum(voided, "REVERSE")).isEqualTo(-100);
        assertThat(shop.balance("r1")).isEqualTo(new Balance(375, 0));

        night(LocalDate.of(2025, 3, 20));
        assertThat(shop.balance("r1")).isEqualTo(new Balance(0, 375));
        assertThat(shop.ledgerSum(voided, "ACTIVATE")).as("nothing left of the void to activate").isZero();
    }

    @Test
    void aRefundAfterExpiryTakesNothingThatIsGoneAndNeverLeavesANegativeBalance() {
        StagingFixture shop = partner("points-late-refund");
        shop.customer("l1", "+79165551005");
        String old = shop.sale("l1", LocalDate.of(2023, 1, 1), 4_000); // 200 points, expire 2024-01-15
        night(LocalDate.of(2024, 1, 20));
        assertThat(shop.balance("l1")).isEqualTo(new Balance(0, 0));

        shop.sale("l1", LocalDate.of(2024, 2, 1), 1_000); // 50 fresh points
        shop.refund(old, LocalDate.of(2024, 2, 2), 4_000);
        night(LocalDate.of(2024, 3, 1));

        assertThat(shop.ledgerSum(old, "REVERSE")).isZero();
        assertThat(shop.balance("l1")).isEqualTo(new Balance(0, 50));
        assertThat(jdbc.queryForObject("SELECT reversed_target FROM core.points_lot WHERE connection_id = 'points-late-refund' "
                + "AND source_id = ?", Long.class, old)).isEqualTo(200);
    }

    @Test
    void aNightRunTwiceLeavesTheLedgerAsOneRunDid() {
        StagingFixture shop = partner("points-twice");
        shop.customer("w1", "+79165551006");
        String sale = shop.sale("w1", LocalDate.of(2025, 5, 1), 3_000);
        shop.sale("w1", LocalDate.of(2025, 5, 20), 3_000);
        shop.refund(sale, LocalDate.of(2025, 5, 21), 1_000);
        night(LocalDate.of(2025, 5, 22));
        List<Map<String, Object>> once = ledger();

        night(LocalDate.of(2025, 5, 22));

        assertThat(ledger()).isEqualTo(once);
        assertThat(once).isNotEmpty();
    }

    private List<Map<String, Object>> ledger() {
        return jdbc.queryForList("""
                SELECT id, customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id, source_id, tier
                  FROM core.points_ledger ORDER BY id""");
    }
}
