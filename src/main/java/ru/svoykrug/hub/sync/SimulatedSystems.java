package ru.svoykrug.hub.sync;

import java.util.Optional;

/**
 * Where the demo's partner simulators listen. A connection whose {@code baseUrl} is
 * {@code simulator:<system>} talks to the simulator started in this JVM, whatever port it got.
 */
public interface SimulatedSystems {

    String PREFIX = "simulator:";

    Optional<String> baseUrl(String system);
}
