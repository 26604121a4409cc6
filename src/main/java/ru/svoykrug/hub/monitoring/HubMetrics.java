package ru.svoykrug.hub.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunner;
import ru.svoykrug.hub.sync.SyncRuns;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The hub's own figures on {@code /actuator/prometheus}. Per connection (tags {@code connection},
 * {@code partner} (its id), {@code system}; nothing personal): the last good sync's time, staleness and
 * dead letters (gauges over the database, the same on every node), and the records and runs of the syncs
 * this node ran (counters). Per step of the newest finished night: its duration and rows. Gauges read a
 * snapshot that {@link AlertWatch} refreshes; counters move when a run ends.
 */
@Component
public class HubMetrics {

    private final MeterRegistry registry;
    private final SyncRuns runs;
    private final ConnectionStates states;
    private final Map<String, ConnectionStates.ConnectionState> connections = new ConcurrentHashMap<>();
    private final Map<String, NightStates.Step> steps = new ConcurrentHashMap<>();

    HubMetrics(MeterRegistry registry, SyncRuns runs, ConnectionStates states) {
        this.registry = registry;
        this.states = states;
        this.runs = runs;
    }

    /** Takes the newest state of every connection and night step; new ones get their gauges. */
    void refresh(List<ConnectionStates.ConnectionState> states, List<NightStates.Step> lastNightSteps) {
        for (ConnectionStates.ConnectionState s : states) {
            if (connections.put(s.id(), s) == null) {
                Tags tags = tags(s);
                gauge("hub.sync.last.success", s.id(), tags, c -> c.lastSuccessAt() == null ? Double.NaN
                        : c.lastSuccessAt().toEpochMilli() / 1000.0, "seconds since the epoch of the last SUCCEEDED or PARTIAL run");
                gauge("hub.sync.stale", s.id(), tags, c -> c.stale() ? 1 : 0, "1 when the last good sync is older than twice the schedule's period");
                gauge("hub.sync.stopped", s.id(), tags, c -> c.stopped() ? 1 : 0, "1 when paused or its credentials were rejected");
                gauge("hub.sync.dead.letters", s.id(), tags, c -> c.deadLetters(), "records of this connection in the dead letter table");
            }
        }
        for (NightStates.Step step : lastNightSteps) {
            if (steps.put(step.name(), step) == null) {
                Tags tags = Tags.of("step", step.name());
                Gauge.builder("hub.night.step.duration", steps, m -> seconds(m.get(step.name()))).tags(tags).baseUnit("seconds")
                        .description("duration of the step in the newest finished night").strongReference(true).register(registry);
                Gauge.builder("hub.night.step.rows", steps, m -> m.get(step.name()).read()).tags(tags.and("rows", "read"))
                        .description("rows the step read in the newest finished night").strongReference(true).register(registry);
                Gauge.builder("hub.night.step.rows", steps, m -> m.get(step.name()).written()).tags(tags.and("rows", "written"))
                        .description("rows the step wrote in the newest finished night").strongReference(true).register(registry);
            }
        }
    }

    /** A run ended on this node: its records and status count. */
    @EventListener
    void runEnded(SyncRunner.SyncCompleted completed) {
        SyncRun run = runs.find(completed.runId()).orElse(null);
        ConnectionStates.ConnectionState state = connections.get(completed.connectionId());
        if (state == null) {
            state = states.find(completed.connectionId()).orElse(null);
        }
        if (run == null || state == null) {
            return;
        }
        Tags tags = tags(state);
        Counter.builder("hub.sync.runs").tags(tags.and("status", run.status().name())).register(registry).increment();
        Counter.builder("hub.sync.records").tags(tags.and("records", "read")).register(registry).increment(run.recordsRead());
        Counter.builder("hub.sync.records").tags(tags.and("records", "written")).register(registry).increment(run.recordsWritten());
        Counter.builder("hub.sync.records").tags(tags.and("records", "rejected")).register(registry).increment(run.recordsRejected());
    }

    private void gauge(String name, String id, Tags tags, ToDoubleFunction<ConnectionStates.ConnectionState> value, String description) {
        Gauge.builder(name, connections, m -> m.containsKey(id) ? value.applyAsDouble(m.get(id)) : Double.NaN)
                .tags(tags).description(description).strongReference(true).register(registry);
    }

    private static Tags tags(ConnectionStates.ConnectionState s) {
        return Tags.of("connection", s.id(), "partner", s.partnerId() == null ? "" : s.partnerId(), "system", s.system());
    }

    private static double seconds(NightStates.Step step) {
        return step == null || step.duration() == null ? Double.NaN : step.duration().toMillis() / 1000.0;
    }
}
