package ru.svoykrug.hub.loyalty;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.nightly.NightSession;
import ru.svoykrug.hub.nightly.NightlyStepDone;
import ru.svoykrug.hub.nightly.NightlySql;

import java.time.LocalDate;
import java.util.Map;

/** Step "points": the rules of config/loyalty.yml as temporary tables, then jobs/sql/03-points.sql. */
@Component
public class PointsTasklet implements Tasklet {

    private final NamedParameterJdbcTemplate jdbc;
    private final LoyaltyRules rules;
    private final ApplicationEventPublisher events;
    private final NightSession session;
    private final NightlySql script = NightlySql.load("03-points.sql");

    PointsTasklet(NamedParameterJdbcTemplate jdbc, LoyaltyRules rules, ApplicationEventPublisher events, NightSession session) {
        this.session = session;
        this.jdbc = jdbc;
        this.rules = rules;
        this.events = events;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext context) {
        LocalDate date = context.getStepContext().getStepExecution().getJobParameters().getLocalDate("businessDate");
        var plain = jdbc.getJdbcTemplate();
        session.begin(plain);
        plain.execute("CREATE TEMP TABLE night_rate (connection_id text PRIMARY KEY, percent numeric NOT NULL) ON COMMIT DROP");
        plain.execute("CREATE TEMP TABLE night_tier (tier text PRIMARY KEY, min_spend_kopecks bigint NOT NULL, multiplier numeric NOT NULL) ON COMMIT DROP");
        rules.partnerPercent().forEach((connection, percent) ->
                plain.update("INSERT INTO night_rate VALUES (?, ?)", connection, percent));
        for (LoyaltyRules.Tier tier : rules.tiers()) {
            plain.update("INSERT INTO night_tier VALUES (?, ?, ?)", tier.name(), tier.fromKopecks(), tier.multiplier());
        }
        long changed = script.run(jdbc, Map.of("business_date", date, "default_percent", rules.defaultPercent(),
                "pending_days", rules.pendingDays(), "expiry_months", rules.expiryMonths()));
        contribution.incrementWriteCount(changed);
        events.publishEvent(new NightlyStepDone("points", date));
        return RepeatStatus.FINISHED;
    }
}
