package ru.svoykrug.hub.sync;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The connectors the hub knows, by system name, each with its stream descriptor (read once, at start). */
@Component
public class Connectors {

    private final Map<String, Connector> bySystem;
    private final Map<String, StreamDescriptor> descriptors;

    public Connectors(List<Connector> connectors) {
        this.bySystem = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::system, Function.identity()));
        this.descriptors = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::system,
                c -> StreamDescriptors.load(c.system())));
    }

    public Connector get(String system) {
        Connector connector = bySystem.get(system);
        if (connector == null) {
            throw new IllegalArgumentException("The hub has no connector for system '" + system + "' yet");
        }
        return connector;
    }

    public StreamDescriptor descriptor(String system) {
        get(system);
        return descriptors.get(system);
    }

    public boolean supports(String system) {
        return bySystem.containsKey(system);
    }
}
