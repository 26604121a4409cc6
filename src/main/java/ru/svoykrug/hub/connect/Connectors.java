package ru.svoykrug.hub.connect;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The connectors the hub knows, by system name. */
@Component
public class Connectors {

    private final Map<String, Connector> bySystem;

    public Connectors(List<Connector> connectors) {
        this.bySystem = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::system, Function.identity()));
    }

    public Connector get(String system) {
        Connector connector = bySystem.get(system);
        if (connector == null) {
            throw new IllegalArgumentException("The hub has no connector for system '" + system + "' yet");
        }
        return connector;
    }

    public boolean supports(String system) {
        return bySystem.containsKey(system);
    }
}
