package ru.svoykrug.hub.filedrops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.file.dsl.Files;
import org.springframework.integration.file.filters.ChainFileListFilter;
import org.springframework.integration.file.filters.FileSystemPersistentAcceptOnceFileListFilter;
import org.springframework.integration.file.filters.LastModifiedFileListFilter;
import org.springframework.integration.file.filters.SimplePatternFileListFilter;
import org.springframework.integration.metadata.ConcurrentMetadataStore;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.infra.HubProperties;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File drops, on Spring Integration: for each active connection of system {@code file} with a
 * {@code folder} setting, a file inbound channel adapter polls {@code <hub.file-drops.root>/<folder>} for
 * {@code *.csv} files that have not changed for {@code min-age} (a file still being written waits; better
 * still, the partner writes {@code x.csv.part} and renames it). A JDBC metadata store
 * ({@code INT_METADATA_STORE}, V26) remembers each file by path and modification time, so on any number of
 * hub nodes sharing the folder a file is taken once ({@code putIfAbsent} in PostgreSQL decides), and a file
 * dropped again under the same name with new content is taken again. {@link FileDropImport} does the rest.
 */
@Component
public class FileDrops {

    private static final Logger log = LoggerFactory.getLogger(FileDrops.class);

    private final IntegrationFlowContext flows;
    private final ConnectionRepository connections;
    private final ConcurrentMetadataStore seen;
    private final FileDropImport importer;
    private final Path root;
    private final Duration poll;
    private final Duration minAge;
    private final Map<String, String> registered = new ConcurrentHashMap<>();

    FileDrops(IntegrationFlowContext flows, ConnectionRepository connections, ConcurrentMetadataStore fileDropsSeen,
              FileDropImport importer, HubProperties hub,
              @Value("${hub.file-drops.root:}") String root,
              @Value("${hub.file-drops.poll-millis:5000}") long pollMillis,
              @Value("${hub.file-drops.min-age-seconds:2}") long minAgeSeconds) {
        this.flows = flows;
        this.connections = connections;
        this.seen = fileDropsSeen;
        this.importer = importer;
        this.root = root.isBlank() ? hub.dataDir().resolve("drops") : Path.of(root);
        this.poll = Duration.ofMillis(pollMillis);
        this.minAge = Duration.ofSeconds(minAgeSeconds);
    }

    /** The folder a file connection's partner drops its files in. */
    public Path folder(PartnerConnection c) {
        return root.resolve(c.setting("folder", c.id())).normalize();
    }

    /** Puts an adapter in place for each active file connection that has none, and takes away those of the others. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void refresh() {
        Set<String> wanted = ConcurrentHashMap.newKeySet();
        for (PartnerConnection c : connections.findAll()) {
            if (ConnectionService.FILE.equals(c.system()) && c.status() == ConnectionStatus.ACTIVE && c.settings().containsKey("folder")) {
                wanted.add(c.id());
                if (!registered.containsKey(c.id())) {
                    registered.put(c.id(), register(c));
                }
            }
        }
        registered.keySet().removeIf(id -> {
            if (wanted.contains(id)) return false;
            flows.remove(registered.get(id));
            return true;
        });
    }

    private String register(PartnerConnection c) {
        File dir = folder(c).toFile();
        ChainFileListFilter<File> filter = new ChainFileListFilter<>();
        filter.addFilter(new SimplePatternFileListFilter("*.csv"));
        filter.addFilter(new LastModifiedFileListFilter(minAge.toSeconds()));
        filter.addFilter(new FileSystemPersistentAcceptOnceFileListFilter(seen, "filedrop:" + c.id() + ":"));
        IntegrationFlow flow = IntegrationFlow
                .from(Files.inboundAdapter(dir).autoCreateDirectory(true).filter(filter),
                        e -> e.poller(Pollers.fixedDelay(poll).maxMessagesPerPoll(10)))
                .handle(File.class, (file, headers) -> {
                    importer.process(c.id(), file.toPath());
                    return null;
                })
                .get();
        log.info("Connection {}: file drops from {}", c.id(), dir);
        return flows.registration(flow).id("filedrop-" + c.id()).register().getId();
    }
}
