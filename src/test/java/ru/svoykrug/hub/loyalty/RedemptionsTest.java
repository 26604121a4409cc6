package ru.svoykrug.hub.loyalty;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditEntry;
import ru.svoykrug.hub.audit.AuditTrail;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.nightly.NightlyRuns;
import ru.svoykrug.hub.nightly.StagingFixture;
import ru.svoykrug.hub.nightly.StagingFixture.Balance;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redemptions against the real database: oldest lot first, a repeated key spends nothing, never below zero,
 * a same-day cancellation, 404 and 409 problems. Redemptions made "in the past" use the service with a
 * fixed clock, so that nights after them (which run only for past dates) can be run.
 */
class RedemptionsTest extends HubIntegrationTest {

    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyRuns runs;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    PointsLots lots;
    @Autowired
    AuditTrail audit;

    private void night(LocalDate date) {
        assertThat(runs.runAndWait(date, Duration.ofMinutes(5)).getStatus().name()).isEqualTo("COMPLETED");
    }

    // (who asked, recorded with each redemption: the controllers pass the token's actor and their endpoint)
    private static final AuditEntry BY_TEST = AuditEntry.of(new Actor("redemptions-test", "CUSTOMER"), AuditEntry.Action.CHANGE,
            0L, "RedemptionsTest", "points");

    private Redemptions on(LocalDate day) {
        return new Redemptions(jdbc, tx, lots, audit, Clock.fixed(day.atTime(12, 0).atZone(ZoneId.of("Europe/Moscow")).toInstant(),
                ZoneId.of("UTC")));
    }

    private static Redemption.Request ask(long customer, String partner, long points, String key) {
        return new Redemption.Request(customer, partner, points, Redemption.Channel.CUSTOMER, key, null);
    }

    private static int status(Throwable e) {
        return ((ErrorResponseException) e).getStatusCode().value();
    }

    @Test
    void spendsTheOldestLotFirstAndARepeatedKeySpendsNothing() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-oldest");
        shop.customer("o1", "+79267770001");
        String older = shop.sale("o1", LocalDate.of(2025, 3, 1), 2_000);  // 100 points, active 2025-03-15
        String newer = shop.sale("o1", LocalDate.of(2025, 3, 5), 4_000);  // 200 points, active 2025-03-19
        night(LocalDate.of(2025, 3, 20));
        long customer = shop.customerId("o1");
        Redemptions redemptions = on(LocalDate.of(2025, 4, 1));

        Redemption.Outcome first = redemptions.redeem(ask(customer, "partner-redeem-oldest", 130, "k-1"), BY_TEST);
        Redemption.Outcome again = redemptions.redeem(ask(customer, "partner-redeem-oldest", 130, "k-1"), BY_TEST);

        assertThat(first.replayed()).isFalse();
        assertThat(first.redemption().activeAfter()).isEqualTo(170);
        assertThat(again.replayed()).isTrue();
        assertThat(again.redemption()).isEqualTo(first.redemption());
        assertThat(shop.balance("o1")).isEqualTo(new Balance(0, 170));
        assertThat(shop.ledgerSum(older, "REDEEM")).isEqualTo(-100);
        assertThat(shop.ledgerSum(newer, "REDEEM")).isEqualTo(-30);
        assertThat(jdbc.queryForObject("SELECT active FROM core.points_lot WHERE connection_id = 'redeem-oldest' AND source_id = ?",
                Long.class, newer)).isEqualTo(170);
        assertThatThrownBy(() -> redemptions.redeem(ask(customer, "partner-redeem-oldest", 131, "k-1"), BY_TEST))
                .satisfies(e -> assertThat(status(e)).as("the key with another request").isEqualTo(422));
    }

    @Test
    void theLotsOfCustomersMergedIntoOneAreItsToSpendAndAMergedIdIsUnknown() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-merged");
        shop.customer("m1", "+79267770011");
        shop.customer("m2", "+79267770012");
        String kept = shop.sale("m1", LocalDate.of(2025, 3, 5), 2_000);    // 100 points
        String merged = shop.sale("m2", LocalDate.of(2025, 3, 1), 4_000);  // 200 points, the older lot
        night(LocalDate.of(2025, 3, 20));
        long customer = shop.customerId("m1");
        long mergedAway = shop.customerId("m2");
        jdbc.update("UPDATE core.customer SET merged_into = ? WHERE id = ?", customer, mergedAway);
        Redemptions redemptions = on(LocalDate.of(2025, 4, 1));

        Redemption.Outcome outcome = redemptions.redeem(ask(customer, "partner-redeem-merged", 250, "k-m"), BY_TEST);

        assertThat(outcome.redemption().activeAfter()).as("300 of both ids, less 250").isEqualTo(50);
        assertThat(shop.ledgerSum(merged, "REDEEM")).as("the older lot, though another id's, first").isEqualTo(-200);
        assertThat(shop.ledgerSum(kept, "REDEEM")).isEqualTo(-50);
        assertThatThrownBy(() -> redemptions.redeem(ask(mergedAway, "partner-redeem-merged", 1, "k-away"), BY_TEST))
                .satisfies(e -> assertThat(status(e)).as("merged away: no customer of the circle").isEqualTo(404));
    }

    @Test
    void theAuditRowIsCommittedWithTheRedemptionAndWithoutItNothingIsSpent() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-audited");
        shop.customer("a1", "+79267779921");
        shop.sale("a1", LocalDate.of(2025, 3, 1), 2_000); // 100 points
        night(LocalDate.of(2025, 4, 1));
        long customer = shop.customerId("a1");
        Redemptions redemptions = on(LocalDate.of(2025, 4, 2));
        AuditEntry unwritable = AuditEntry.of(new Actor(null, "CUSTOMER"), AuditEntry.Action.CHANGE, customer,
                "RedemptionsTest-audited", "points");
        AuditEntry asked = AuditEntry.of(new Actor(Long.toString(customer), "CUSTOMER"), AuditEntry.Action.CHANGE, customer,
                "RedemptionsTest-audited", "points");

        assertThatThrownBy(() -> redemptions.redeem(ask(customer, "partner-redeem-audited", 40, "a-1"), unwritable))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(shop.balance("a1")).as("the audit row failed: nothing spent").isEqualTo(new Balance(0, 100));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.redemption WHERE customer_id = ?", Long.class, customer)).isZero();

        redemptions.redeem(ask(customer, "partner-redeem-audited", 40, "a-1"), asked);
        assertThat(shop.balance("a1")).isEqualTo(new Balance(0, 60));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM audit.entry
                 WHERE customer_id = ? AND channel = 'RedemptionsTest-audited' AND action = 'CHANGE' AND actor_subject = ?""",
                Long.class, customer, Long.toString(customer))).isEqualTo(1);
    }

    @Test
    void tooFewPointsIsAConflictWithTheBalanceAndUnknownsAreNotFound() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-few");
        shop.customer("f1", "+79267770002");
        shop.sale("f1", LocalDate.of(2025, 3, 1), 2_000);
        shop.sale("f1", LocalDate.of(2025, 3, 30), 2_000); // still pending: cannot be spent
        night(LocalDate.of(2025, 4, 1));
        long customer = shop.customerId("f1");
        Redemptions redemptions = on(LocalDate.of(2025, 4, 2));

        assertThatThrownBy(() -> redemptions.redeem(ask(customer, "partner-redeem-few", 101, "k"), BY_TEST))
                .satisfies(e -> {
                    assertThat(status(e)).isEqualTo(409);
                    assertThat(((ErrorResponseException) e).getBody().getProperties()).containsEntry("balance", 100L);
                });
        assertThatThrownBy(() -> redemptions.redeem(ask(987_654_321L, "partner-redeem-few", 1, "k"), BY_TEST))
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
        assertThatThrownBy(() -> redemptions.redeem(ask(customer, "no-such-partner", 1, "k"), BY_TEST))
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
        assertThat(shop.balance("f1")).isEqualTo(new Balance(100, 100));
    }

    @Test
    void pointsPastTheirExpiryCannotBeSpentBeforeTheNightExpiresThem() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-stale");
        shop.customer("x1", "+79267770003");
        shop.sale("x1", LocalDate.of(2024, 1, 1), 2_000); // active 2024-01-15, expires 2025-01-15
        night(LocalDate.of(2024, 2, 1));

        assertThatThrownBy(() -> on(LocalDate.of(2025, 1, 15)).redeem(ask(shop.customerId("x1"), "partner-redeem-stale", 1, "k"), BY_TEST))
                .satisfies(e -> assertThat(((ErrorResponseException) e).getBody().getProperties()).containsEntry("balance", 0L));
    }

    @Test
    void itsPartnerCancelsOnTheSameDayOnlyAndThePointsComeBackToTheirLots() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-cancel");
        StagingFixture other = StagingFixture.partner(connections, jdbc, "redeem-cancel-other");
        shop.customer("c1", "+79267770004");
        String sale = shop.sale("c1", LocalDate.of(2025, 3, 1), 2_000);
        night(LocalDate.of(2025, 3, 20));
        long customer = shop.customerId("c1");
        LocalDate day = LocalDate.of(2025, 4, 1);
        Redemption made = on(day).redeem(ask(customer, "partner-redeem-cancel", 60, "c"), BY_TEST).redemption();
        Redemption later = on(day).redeem(ask(customer, "partner-redeem-cancel", 10, "d"), BY_TEST).redemption();

        assertThatThrownBy(() -> on(day).cancel("partner-" + other.connectionId(), made.id(), customerId -> BY_TEST))
                .satisfies(e -> assertThat(status(e)).as("another partner's redemption").isEqualTo(404));
        assertThatThrownBy(() -> on(day.plusDays(1)).cancel("partner-redeem-cancel", later.id(), customerId -> BY_TEST))
                .satisfies(e -> assertThat(status(e)).as("the next day").isEqualTo(409));
        LongFunction<AuditEntry> byCashier = customerId -> AuditEntry.of(new Actor("partner:redeem-cancel", "PARTNER"),
                AuditEntry.Action.CHANGE, customerId, "RedemptionsTest-cancel", "points");
        Redemption cancelled = on(day).cancel("partner-redeem-cancel", made.id(), byCashier);
        Redemption twice = on(day).cancel("partner-redeem-cancel", made.id(), byCashier);

        assertThat(cancelled.cancelledAt()).isNotNull();
        assertThat(cancelled.activeAfter()).isEqualTo(90);
        assertThat(twice.cancelledAt()).isEqualTo(cancelled.cancelledAt());
        assertThat(shop.balance("c1")).isEqualTo(new Balance(0, 90));
        assertThat(shop.ledgerSum(sale, "REDEEM_CANCEL")).isEqualTo(60);
        assertThat(jdbc.queryForList("SELECT customer_id FROM audit.entry WHERE channel = 'RedemptionsTest-cancel'", Long.class))
                .as("each cancellation audited, as a change of the customer whose points came back")
                .containsExactly(customer, customer);
        assertLotsAgreeWithTheLedger("redeem-cancel");
    }

    @Test
    void expiryTakesOnlyWhatWasNotRedeemedAndANightRunAgainGivesTheSameLedger() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-expiry");
        shop.customer("e1", "+79267770005");
        String sale = shop.sale("e1", LocalDate.of(2024, 1, 1), 4_000); // 200 points, active 2024-01-15, expire 2025-01-15
        shop.sale("e1", LocalDate.of(2024, 6, 1), 2_000);               // 100 points, expire 2025-06-15
        night(LocalDate.of(2024, 7, 1));
        on(LocalDate.of(2024, 8, 1)).redeem(ask(shop.customerId("e1"), "partner-redeem-expiry", 150, "e"), BY_TEST);

        night(LocalDate.of(2025, 1, 20));
        assertThat(shop.ledgerSum(sale, "EXPIRE")).as("only the 50 not redeemed").isEqualTo(-50);
        assertThat(shop.balance("e1")).isEqualTo(new Balance(0, 100));
        List<Map<String, Object>> once = ledger();

        night(LocalDate.of(2025, 1, 20));
        assertThat(ledger()).isEqualTo(once);
        assertLotsAgreeWithTheLedger("redeem-expiry");
    }

    @Test
    void manyRequestsAtOnceForOneCustomerNeverOverdrawAndOneKeySpendsOnce() throws Exception {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-rush");
        shop.customer("r1", "+79267770006");
        shop.sale("r1", LocalDate.of(2025, 3, 1), 3_000); // 150 points
        shop.sale("r1", LocalDate.of(2025, 3, 2), 2_000); // 100 points
        night(LocalDate.of(2025, 3, 20));
        long customer = shop.customerId("r1");
        Redemptions redemptions = on(LocalDate.of(2025, 4, 1));

        List<Integer> answers = all(24, n -> redemptions.redeem(ask(customer, "partner-redeem-rush", 30, "rush-" + n), BY_TEST));
        assertThat(answers).filteredOn(a -> a == 200).hasSize(8);   // 8 x 30 of 250
        assertThat(answers).filteredOn(a -> a == 409).hasSize(16);
        assertThat(shop.balance("r1")).isEqualTo(new Balance(0, 10));

        List<Integer> sameKey = all(8, n -> redemptions.redeem(ask(customer, "partner-redeem-rush", 5, "one-key"), BY_TEST));
        assertThat(sameKey).containsOnly(200);
        assertThat(shop.balance("r1")).isEqualTo(new Balance(0, 5));
        assertLotsAgreeWithTheLedger("redeem-rush");
    }

    @Test
    void redemptionsWhileANightPostsPointsLeaveLotsAndLedgerAgreeing() throws Exception {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "redeem-race");
        shop.customer("n1", "+79267770007");
        shop.sale("n1", LocalDate.of(2026, 6, 1), 200_000); // active till 2027-06-15, so spendable today
        night(LocalDate.of(2026, 7, 1));
        long customer = shop.customerId("n1");
        shop.sale("n1", LocalDate.of(2026, 7, 2), 1_000);   // the next night earns, activates and re-tiers

        var nightDone = java.util.concurrent.CompletableFuture.supplyAsync(() -> runs.runAndWait(LocalDate.of(2026, 8, 1),
                Duration.ofMinutes(5)).getStatus().name());
        Redemptions now = new Redemptions(jdbc, tx, lots, audit, Clock.systemUTC());
        int made = 0;
        for (int n = 0; !nightDone.isDone() || n < 3; n++) {
            try {
                now.redeem(ask(customer, "partner-redeem-race", 1, "race-" + n), BY_TEST);
                made++;
            } catch (ErrorResponseException busy) {
                assertThat(status(busy)).as(busy.getBody().getTitle()).isEqualTo(409);
            }
        }

        assertThat(nightDone.get()).isEqualTo("COMPLETED");
        assertThat(made).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM core.points_ledger WHERE entry_type = 'REDEEM' AND redemption_id IN "
                + "(SELECT id FROM core.redemption WHERE partner_id = 'partner-redeem-race')", Integer.class)).isEqualTo(made);
        assertLotsAgreeWithTheLedger("redeem-race");
    }

    /** Runs {@code count} calls at once (released together); each call's answer as an HTTP status. */
    private static List<Integer> all(int count, java.util.function.IntFunction<Redemption.Outcome> call) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(count);
        var start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (int n = 0; n < count; n++) {
                int k = n;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        call.apply(k);
                        return 200;
                    } catch (ErrorResponseException e) {
                        return status(e);
                    }
                }));
            }
            start.countDown();
            List<Integer> answers = new java.util.ArrayList<>();
            for (var f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Map<String, Object>> ledger() {
        return jdbc.queryForList("""
                SELECT id, customer_id, entry_type, pending_delta, active_delta, effective_on, business_date, connection_id,
                       source_id, tier, redemption_id
                  FROM core.points_ledger ORDER BY id""");
    }

    /** Every lot holds what its ledger entries add up to. */
    static void assertLotsAgreeWithTheLedger(JdbcTemplate jdbc, String connectionId) {
        assertThat(jdbc.queryForList("""
                SELECT l.source_id FROM core.points_lot l
                  JOIN (SELECT connection_id, source_id, sum(pending_delta) AS pending, sum(active_delta) AS active
                          FROM core.points_ledger GROUP BY connection_id, source_id) e
                    ON e.connection_id = l.connection_id AND e.source_id = l.source_id
                 WHERE l.connection_id = ? AND (e.pending <> l.pending OR e.active <> l.active OR l.active < 0)""",
                String.class, connectionId)).isEmpty();
    }

    private void assertLotsAgreeWithTheLedger(String connectionId) {
        assertLotsAgreeWithTheLedger(jdbc, connectionId);
    }
}
