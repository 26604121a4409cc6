package ru.svoykrug.hub.sync;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads a system's stream descriptor, {@code routes/<system>.yaml}, into its typed form. */
final class StreamDescriptors {

    private StreamDescriptors() {
    }

    static StreamDescriptor load(String system) {
        Resource file = new ClassPathResource("routes/" + system + ".yaml");
        if (!file.exists()) {
            throw new IllegalStateException("The " + system + " connector has no stream descriptor routes/" + system + ".yaml");
        }
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(system, file);
            StreamDescriptor d = new Binder(ConfigurationPropertySources.from(sources))
                    // a misspelt key fails the start instead of leaving its setting at a default
                    .bind("", Bindable.of(StreamDescriptor.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseThrow(() -> new IllegalStateException("routes/" + system + ".yaml is empty"));
            if (!system.equals(d.system()) || d.streams().isEmpty() || d.requester() == null) {
                throw new IllegalStateException("routes/" + system + ".yaml must name system " + system
                        + " and give its requester and streams");
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read routes/" + system + ".yaml", e);
        }
    }
}
