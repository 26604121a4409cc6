package ru.svoykrug.hub.simulate.kit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/**
 * A partner system simulated over real HTTP on a loopback port. The demo and the ingest benchmark know
 * a simulator only through this interface and find it by its system name ({@code Simulators}); tests
 * use the concrete class, whose misbehaviour on demand and typed truth are its own.
 */
public interface Simulator extends AutoCloseable {

    /** The system name, as a connection's {@code system} says it ({@code yclients}, {@code bitrix24}, ...). */
    String system();

    /** Where a connection's {@code baseUrl} points to reach it. */
    String baseUrl();

    /** What staging must hold after a complete sync of the simulated account (a record of the system's own). */
    Record truth();

    /** What one generated record of the simulator is, for a benchmark's report. */
    String unit();

    /** Whether the simulated system keeps medical data (its connection is then {@code medical}). */
    default boolean medical() {
        return false;
    }

    /** The settings of a connection that reads it as fast as the hub can: baseUrl, paging, rate limit lifted. */
    Map<String, String> benchSettings(Load load);

    /** The credentials the simulator lets in. */
    Map<String, String> credentials();

    /**
     * Lifts the vendor's rate limit: a benchmark at the vendor's pace would measure the vendor. Nothing to
     * lift for a vendor that publishes none (1C, Renovatio, iiko).
     */
    default void liftRateLimit() {
    }

    @Override
    void close();

    /**
     * What to generate: {@code records} of the system's main kind (appointments, receipts, leads, orders,
     * deals) from {@code seed}, every {@code malformedEvery}-th malformed (0: none), in the partner's zone,
     * history ending at {@code historyEnd} (null: the data set's own default).
     */
    record Spec(long seed, int records, int malformedEvery, ZoneId zone, Instant historyEnd) {
        public static Spec of(long seed, int records) {
            return new Spec(seed, records, 0, ZoneId.of("Europe/Moscow"), null);
        }
    }

    /** How a benchmark reads: the page size it asks for, and the date window of systems that read by window. */
    record Load(int records, int pageSize, int windowDays) {
    }

    /** A kind of simulator: its system name and how to start one. */
    record Kind(String system, Function<Spec, ? extends Simulator> starter) {
        public Simulator start(Spec spec) {
            return starter.apply(spec);
        }
    }
}
