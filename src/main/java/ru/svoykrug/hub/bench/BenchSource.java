package ru.svoykrug.hub.bench;

import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.simulate.Simulators;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.kit.Simulator.Load;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;

/**
 * The simulated partner system an ingest benchmark reads from, with the connection that reaches it.
 * Vendor rate limits are lifted: at the vendor's pace the benchmark would measure the vendor.
 */
final class BenchSource implements AutoCloseable {

    private final Simulator sim;
    private final Load load;

    private BenchSource(Simulator sim, Load load) {
        this.sim = sim;
        this.load = load;
        sim.liftRateLimit();
    }

    static BenchSource start(String system, long seed, int records, int pageSize, int windowDays) {
        return new BenchSource(Simulators.start(system, Spec.of(seed, records)), new Load(records, pageSize, windowDays));
    }

    String system() {
        return sim.system();
    }

    /** What one unit of {@code --records} is in this system. */
    String unit() {
        return sim.unit();
    }

    ConnectionDefinition connection(String id) {
        return new ConnectionDefinition(id, "Bench", sim.system(), "Europe/Moscow", sim.medical(), "0 0 3 * * ?",
                sim.benchSettings(load), sim.credentials());
    }

    @Override
    public void close() {
        sim.close();
    }
}
