package ru.svoykrug.hub.connections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;

/** Creates connections and keeps their routes and schedules in step with the database. */
@Service
public class ConnectionService {

    private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);

    private final ConnectionRepository repository;
    private final ConnectionActivation sync;

    public ConnectionService(ConnectionRepository repository, ConnectionActivation sync) {
        this.repository = repository;
        this.sync = sync;
    }

    /** Creates the connection if it does not exist yet, and makes sure its routes and schedule are in place. */
    public PartnerConnection ensure(ConnectionDefinition definition) {
        if (!sync.supports(definition.system()) && !FILE.equals(definition.system())) {
            throw new IllegalArgumentException("The hub has no connector for system '" + definition.system() + "' yet");
        }
        if (repository.createIfAbsent(definition)) {
            log.info("Connection {} ({} via {}) created", definition.id(), definition.partner(), definition.system());
        }
        PartnerConnection connection = repository.find(definition.id()).orElseThrow();
        activate(connection);
        return connection;
    }

    /** Replaces a connection's settings and credentials; new credentials lift a CREDENTIALS_REJECTED stop. */
    public PartnerConnection update(ConnectionDefinition definition) {
        repository.find(definition.id()).orElseThrow(() -> new UnknownConnectionException(definition.id()));
        repository.update(definition);
        PartnerConnection connection = repository.find(definition.id()).orElseThrow();
        activate(connection);
        return connection;
    }

    /** A connection made through the partner API; refused when its id is taken. */
    public PartnerConnection create(ConnectionDefinition definition) {
        if (!sync.supports(definition.system()) && !FILE.equals(definition.system())) {
            throw new IllegalArgumentException("The hub has no connector for system '" + definition.system() + "' yet");
        }
        if (!repository.createFromApi(definition)) {
            throw new IllegalArgumentException("A connection with id '" + definition.id() + "' exists already");
        }
        log.info("Connection {} ({} via {}) created through the partner API", definition.id(), definition.partner(), definition.system());
        PartnerConnection connection = repository.find(definition.id()).orElseThrow();
        activate(connection);
        return connection;
    }

    /** Pauses (its schedule skips it) or resumes a connection; a deleted one stays deleted. */
    public void pause(String id, boolean paused) {
        PartnerConnection c = repository.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        if (c.status() == ConnectionStatus.DELETED) {
            throw new UnknownConnectionException(id);
        }
        if (paused) {
            repository.updateStatus(id, ConnectionStatus.PAUSED, "Paused through the API");
        } else if (c.status() == ConnectionStatus.PAUSED) {
            repository.updateStatus(id, ConnectionStatus.ACTIVE, null);
        }
    }

    /** Stops the connection for good and forgets its credentials; its staged data stays for accounting. */
    public void delete(String id) {
        repository.find(id).orElseThrow(() -> new UnknownConnectionException(id));
        repository.markDeleted(id);
        if (!FILE.equals(repository.find(id).orElseThrow().system())) {
            sync.deactivate(id);
        }
        log.info("Connection {} deleted through the partner API", id);
    }

    @EventListener(ApplicationStartedEvent.class)
    @Order(0)
    public void activateAll() {
        for (PartnerConnection c : repository.findAll()) {
            if (c.status() == ConnectionStatus.DELETED) {
                continue;
            }
            if (sync.supports(c.system()) || FILE.equals(c.system())) {
                try {
                    activate(c);
                } catch (RuntimeException e) {
                    // one misconfigured connection must not keep the hub (and every other partner) down
                    log.error("Connection {} is not synced: {}", c.id(), e.getMessage());
                }
            } else {
                log.warn("Connection {} uses {}, which this hub has no connector for; it is not synced", c.id(), c.system());
            }
        }
    }

    /** A partner without an API: its sales come by file (import-sales); it has no route and no schedule. */
    public static final String FILE = "file";

    private void activate(PartnerConnection c) {
        if (FILE.equals(c.system()) || c.status() == ConnectionStatus.DELETED) {
            return;
        }
        sync.activate(c);
    }
}
