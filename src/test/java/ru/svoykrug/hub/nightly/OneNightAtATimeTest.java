package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import ru.svoykrug.hub.HubIntegrationTest;
import ru.svoykrug.hub.connections.ConnectionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One night at a time, whatever the dates, whichever hub node is asked: the loser of two requests sent
 * at once gets a 409 naming the running night, never a 500; and two nodes (two launchers with locks of
 * their own, on one database) cannot both start one.
 */
class OneNightAtATimeTest extends HubIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate DAY = LocalDate.of(2026, 8, 20);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    ConnectionService connections;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    NightlyFaults faults;
    @Autowired
    NightlyRuns runs;
    @Autowired
    JobOperator operator;
    @Autowired
    JobRepository repository;
    @Autowired
    Job nightly;
    @Autowired
    NightCalendar calendar;
    @Autowired
    DataSource dataSource;

    @Test
    void twoRequestsAtOnceStartOneNightAndTheOtherIsToldWhichRuns() throws Exception {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "one-night-api");
        shop.customer("o1", "+79165551101");
        shop.sale("o1", DAY.minusDays(3), 1_000);
        CountDownLatch release = faults.holdIn("customers");
        try {
            List<HttpResponse<String>> answers = atOnce(
                    () -> post("{\"businessDate\": \"" + DAY + "\"}"),
                    () -> post("{\"businessDate\": \"" + DAY.plusDays(1) + "\"}"));
            HttpResponse<String> started = answers.stream().filter(a -> a.statusCode() == 202).findFirst().orElseThrow(
                    () -> new AssertionError("neither started: " + answers.stream().map(HttpResponse::body).toList()));
            HttpResponse<String> refused = answers.get(answers.get(0) == started ? 1 : 0);
            long running = JSON.readTree(started.body()).path("id").asLong();
            assertConflictNaming(refused, running);
            // the same date again, while it runs
            assertConflictNaming(post("{\"businessDate\": \"" + JSON.readTree(started.body()).path("businessDate").asString() + "\"}"),
                    running);
        } finally {
            release.countDown();
        }
        awaitNoNightRunning();
    }

    @Test
    void twoNodesOnOneDatabaseCannotBothStartANight() throws Exception {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "one-night-nodes");
        shop.customer("n1", "+79165551201");
        shop.sale("n1", DAY.minusDays(2), 2_000);
        // a second node: its own launcher front and lock, the same database
        NightLock otherNodesLock = new NightLock(dataSource);
        NightlyRuns otherNode = new NightlyRuns(operator, repository, nightly, jdbc, calendar, otherNodesLock);
        CountDownLatch release = faults.holdIn("customers");
        List<Object> outcomes;
        try {
            outcomes = atOnce(() -> startOrRefusal(runs, DAY.minusDays(1)), () -> startOrRefusal(otherNode, DAY.minusDays(1)));
        } finally {
            release.countDown();
        }
        awaitNoNightRunning();
        otherNodesLock.release(); // (the night's thread releases this node's lock; the other node's is released here)

        assertThat(outcomes).filteredOn(o -> o instanceof Long).as("%s", outcomes).hasSize(1);
        long started = (Long) outcomes.stream().filter(o -> o instanceof Long).findFirst().orElseThrow();
        assertThat(outcomes).filteredOn(o -> o instanceof NightlyRuns.NightAlreadyRunningException).singleElement()
                .satisfies(e -> assertThat(((NightlyRuns.NightAlreadyRunningException) e).runningExecutionId()).isEqualTo(started));
    }

    @Test
    void aNightLeftRunningByANodeThatDiedIsMarkedFailedAndItsDateRestarts() {
        StagingFixture shop = StagingFixture.partner(connections, jdbc, "one-night-dead");
        shop.customer("d1", "+79165551301");
        shop.sale("d1", DAY.minusDays(9), 3_000);
        LocalDate date = DAY.minusDays(5);
        JobExecution done = NightlyTestSupport.night(runs, date);
        // as a node that died in the churn step leaves it: running, with nobody holding the night's lock
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', end_time = NULL WHERE job_execution_id = ?",
                done.getId());
        jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', end_time = NULL "
                + "WHERE job_execution_id = ? AND step_name = 'churn'", done.getId());

        JobExecution again = NightlyTestSupport.night(runs, date);

        assertThat(again.getId()).isNotEqualTo(done.getId());
        assertThat(jdbc.queryForMap("SELECT status, exit_message FROM batch_job_execution WHERE job_execution_id = ?", done.getId()))
                .containsEntry("status", "FAILED").satisfies(row -> assertThat((String) row.get("exit_message")).contains("Abandoned"));
        assertThat(again.getStepExecutions()).extracting(StepExecution::getStepName).as("restarted at the abandoned step")
                .containsExactly("churn");
    }

    private static Object startOrRefusal(NightlyRuns node, LocalDate date) {
        try {
            return node.start(date);
        } catch (NightlyRuns.NightAlreadyRunningException e) {
            return e;
        }
    }

    private void awaitNoNightRunning() {
        await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM batch_job_execution WHERE status IN ('STARTING', 'STARTED', 'STOPPING')", Long.class) == 0);
    }

    private static void assertConflictNaming(HttpResponse<String> response, long running) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("runningExecutionId").asLong()).isEqualTo(running);
        assertThat(problem.path("detail").asString()).contains(String.valueOf(running));
    }

    @SafeVarargs
    private static <T> List<T> atOnce(Callable<T>... calls) throws Exception {
        CyclicBarrier together = new CyclicBarrier(calls.length);
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    together.await();
                    return call.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/ops/jobs/nightly/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
