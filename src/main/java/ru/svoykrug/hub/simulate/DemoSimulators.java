package ru.svoykrug.hub.simulate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.sync.SimulatedSystems;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The partner systems of the demo, simulated in this JVM on loopback ports: what {@code mvn spring-boot:run}
 * syncs on a machine with no partner system in reach. Off with {@code hub.demo.simulators=false}.
 * {@code hub.demo.records} names the systems to start and the records each generates.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.simulators", havingValue = "true")
@EnableConfigurationProperties(DemoSimulators.Settings.class)
public class DemoSimulators implements SimulatedSystems, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoSimulators.class);

    private final Map<String, Simulator> running = new LinkedHashMap<>();

    public DemoSimulators(Settings settings) {
        // history up to today, so that recency, segments and churn mean something on any day the demo runs
        Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        settings.records().forEach((system, records) -> {
            Simulator sim = Simulators.start(system,
                    new Spec(settings.seed(), records, settings.malformedEvery(), ZoneId.of("Europe/Moscow"), today));
            running.put(system, sim);
            log.info("{} simulator: {} {} at {}", system, records, sim.unit(), sim.baseUrl());
        });
    }

    @Override
    public Optional<String> baseUrl(String system) {
        return Optional.ofNullable(running.get(system)).map(Simulator::baseUrl);
    }

    /** The running simulator of {@code system}, as its own class (a test reads its data set and truth). */
    public <S extends Simulator> S simulator(String system, Class<S> type) {
        Simulator sim = running.get(system);
        if (sim == null) {
            throw new IllegalArgumentException("the demo runs no " + system + " simulator; it runs " + running.keySet());
        }
        return type.cast(sim);
    }

    @Override
    public void close() {
        running.values().forEach(Simulator::close);
    }

    /** {@code records}: system name to the records its simulator generates (by default the five demo systems). */
    @ConfigurationProperties(prefix = "hub.demo")
    public record Settings(long seed, int malformedEvery, Map<String, Integer> records) {
        public Settings {
            seed = seed == 0 ? 42 : seed;
            if (records == null || records.isEmpty()) {
                records = new LinkedHashMap<>();
                records.put("yclients", 2000);
                records.put("onec", 2000);
                records.put("renovatio", 1000);
                records.put("amocrm", 1000);
                records.put("iiko", 1500);
            }
        }
    }
}
