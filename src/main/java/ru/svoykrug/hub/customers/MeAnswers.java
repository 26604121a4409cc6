package ru.svoykrug.hub.customers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.audit.Actor;
import ru.svoykrug.hub.audit.AuditTrail;
import tools.jackson.databind.json.JsonMapper;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/customers/me} as JSON, kept per customer (V36): a kept answer is served by one look-up by
 * key while nothing it shows has changed, else computed ({@link MeQuery}) and kept. The statement of seven
 * look-ups was the larger half of a request's CPU, and most customers ask again before anything changes.
 *
 * <p>Each answer served writes its audit row (action READ, the token's subject and role, the endpoint, the
 * fields shown) through {@code AuditTrail.read}: it is returned only once its row is committed, and an unknown
 * customer's 404 writes none.
 */
@Component
public class MeAnswers {

    static final String CHANNEL = "GET /api/v1/customers/me";
    /** Answers served, tagged {@code answer} kept or computed: how often the kept ones serve (ops, bench api) */
    public static final String ANSWERS = "hub.customer_api.me.answers";
    private static final String[] FIELDS = {"points", "tier", "segment", "partners", "consent"};

    private static final String KEPT = """
            SELECT a.body FROM core.customer_answer a
             WHERE a.customer_id = ? AND a.answered = a.changes AND a.day = CAST(? AS date)
               AND a.outdatings = """ + MeQuery.OUTDATINGS;

    // `answered` is the count of changes read with the figures: a writer that committed since counted past it,
    // so such an answer is stored as one that does not count. The condition only spares a row whose count moved
    // on (a writer not yet committed is waited for) and an answer of later outdatings from being overwritten.
    private static final String KEEP = """
            INSERT INTO core.customer_answer AS a (customer_id, changes, answered, outdatings, day, body, asked_on)
            VALUES (?, ?, ?, ?, CAST(? AS date), ?, CAST(? AS date))
            ON CONFLICT (customer_id) DO UPDATE
               SET answered = EXCLUDED.answered, outdatings = EXCLUDED.outdatings, day = EXCLUDED.day, body = EXCLUDED.body,
                   asked_on = coalesce(EXCLUDED.asked_on, a.asked_on)
             WHERE a.changes = EXCLUDED.changes AND (a.outdatings IS NULL OR a.outdatings <= EXCLUDED.outdatings)""";

    private final JdbcTemplate jdbc;
    private final MeQuery query;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final boolean keep;
    private final int warmDays;
    private final Counter kept;
    private final Counter computed;

    MeAnswers(JdbcTemplate jdbc, MeQuery query, AuditTrail audit, JsonMapper json, MeterRegistry meters,
              @Value("${hub.customer-api.keep-answers:true}") boolean keep,
              @Value("${hub.customer-api.warm-days:7}") int warmDays) {
        this.jdbc = jdbc;
        this.query = query;
        this.audit = audit;
        this.json = json;
        this.keep = keep;
        this.warmDays = warmDays;
        this.kept = Counter.builder(ANSWERS).tag("answer", "kept").description("GET /customers/me answered").register(meters);
        this.computed = Counter.builder(ANSWERS).tag("answer", "computed").description("GET /customers/me answered").register(meters);
        // what the answers show also depends on settings (tiers, the consent default, partners' names): a hub
        // started, perhaps with other settings, keeps none of the answers kept before
        jdbc.queryForList("SELECT core.answers_outdated('start')");
    }

    /** The customer's answer, audited as read by {@code actor}; empty for no customer of this id. */
    Optional<String> answer(long customerId, Actor actor, LocalDate today) {
        String body = keep ? kept(customerId, today) : null;
        if (body == null) {
            Optional<String> fresh = computeAndKeep(customerId, today, today);
            if (fresh.isEmpty()) {
                return Optional.empty();
            }
            body = fresh.get();
            computed.increment();
        } else {
            kept.increment();
        }
        audit.read(actor, customerId, CHANNEL, FIELDS);
        return Optional.of(body);
    }

    /**
     * Computes and keeps again the answers of the customers who asked within {@code hub.customer-api.warm-days}
     * (V37), as the night calls it once it has outdated them all: their next request is one look-up. Nobody reads
     * them here, so no audit row. Returns how many were kept.
     */
    public int warm(LocalDate today) {
        if (!keep || warmDays <= 0) {
            return 0;
        }
        int warmed = 0;
        long after = 0;
        while (true) {
            List<Long> due = jdbc.queryForList("""
                    SELECT customer_id FROM core.customer_answer
                     WHERE asked_on >= CAST(? AS date) AND customer_id > ? ORDER BY customer_id LIMIT 500""",
                    Long.class, today.minusDays(warmDays).toString(), after);
            if (due.isEmpty()) {
                return warmed;
            }
            for (long customerId : due) {
                if (computeAndKeep(customerId, today, null).isPresent()) {
                    warmed++;
                }
            }
            after = due.get(due.size() - 1);
        }
    }

    /** The answer's JSON, kept unless keeping is off; {@code askedOn} is the day of the customer's own request (null: the warming's) */
    private Optional<String> computeAndKeep(long customerId, LocalDate today, LocalDate askedOn) {
        return query.compute(customerId, today).map(c -> {
            String body = json.writeValueAsString(c.me());
            if (keep) {
                jdbc.update(KEEP, customerId, c.changes(), c.changes(), c.outdatings(), today.toString(), body,
                        askedOn == null ? null : askedOn.toString());
            }
            return body;
        });
    }

    private String kept(long customerId, LocalDate today) {
        List<String> found = jdbc.queryForList(KEPT, String.class, customerId, today.toString());
        return found.isEmpty() ? null : found.get(0);
    }
}
