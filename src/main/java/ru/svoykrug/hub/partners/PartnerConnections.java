package ru.svoykrug.hub.partners;

import org.springframework.stereotype.Service;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.ConnectionService;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.filedrops.FileDrops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A partner's own connections, as the partner API changes them. Every call names the partner: a
 * connection of another partner is "unknown" (404), so a partner cannot even learn that another's id
 * exists. Settings and credentials are checked per system ({@link SystemSettings}) before anything is stored.
 */
@Service
class PartnerConnections {

    private final ConnectionRepository repository;
    private final ConnectionService service;
    private final FileDrops fileDrops;
    private final PartnerAddresses addresses;

    PartnerConnections(ConnectionRepository repository, ConnectionService service, FileDrops fileDrops,
                       PartnerAddresses addresses) {
        this.addresses = addresses;
        this.repository = repository;
        this.service = service;
        this.fileDrops = fileDrops;
    }

    List<PartnerConnection> list(String partnerId) {
        return repository.findByPartner(partnerId).stream().filter(c -> c.status() != ConnectionStatus.DELETED).toList();
    }

    /** The partner's connection, deleted or not; another partner's or none is an unknown connection. */
    PartnerConnection owned(String partnerId, String id) {
        return repository.find(id)
                .filter(c -> repository.partnerIdOf(id).map(partnerId::equals).orElse(false))
                .orElseThrow(() -> new UnknownConnectionException(id));
    }

    /** The partner's connection that is not deleted. */
    PartnerConnection live(String partnerId, String id) {
        PartnerConnection c = owned(partnerId, id);
        if (c.status() == ConnectionStatus.DELETED) {
            throw new ConnectionDeletedException(id);
        }
        return c;
    }

    PartnerConnection create(String partnerId, PartnerApi.NewConnection request) {
        ConnectionDefinition d = definition(partnerId, request);
        PartnerConnection created = service.create(d);
        fileDropsOf(created);
        return created;
    }

    /** The definition a request states, checked; its id is the one asked for or {@code <partner>-<system>[-n]}. */
    ConnectionDefinition definition(String partnerId, PartnerApi.NewConnection request) {
        String system = request.system() == null ? "" : request.system();
        Map<String, String> settings = new HashMap<>(request.settings() == null ? Map.of() : request.settings());
        Map<String, String> credentials = request.credentials() == null ? Map.of() : request.credentials();
        List<String> problems = new java.util.ArrayList<>(SystemSettings.problems(system, settings, credentials));
        if (problems.isEmpty()) {
            problems.addAll(addresses.problems(settings));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The connection cannot be stored: " + String.join("; ", problems));
        }
        String partnerName = repository.partnerName(partnerId).orElse(partnerId);
        String id = request.id() != null ? request.id() : freeId(partnerId + "-" + system);
        boolean medical = request.medical() != null ? request.medical() : "renovatio".equals(system);
        return new ConnectionDefinition(id, partnerName, system, request.zone(), medical, request.schedule(), settings, credentials);
    }

    /** Pause, resume, schedule, settings (merged: a key with an empty value is removed) and credentials (replaced). */
    PartnerConnection change(String partnerId, String id, PartnerApi.ConnectionChange change) {
        PartnerConnection c = live(partnerId, id);
        boolean reconfigured = change.schedule() != null || change.settings() != null || change.credentials() != null
                || change.zone() != null;
        if (reconfigured) {
            Map<String, String> settings = new HashMap<>(c.settings());
            if (change.settings() != null) {
                change.settings().forEach((key, value) -> {
                    if (value == null || value.isEmpty()) settings.remove(key);
                    else settings.put(key, value);
                });
            }
            Map<String, String> credentials = change.credentials() != null ? change.credentials() : repository.credentials(id);
            List<String> problems = new java.util.ArrayList<>(SystemSettings.problems(c.system(), settings, credentials));
            if (problems.isEmpty()) {
                problems.addAll(addresses.problems(settings));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("The change cannot be stored: " + String.join("; ", problems));
            }
            ConnectionStatus before = c.status();
            service.update(new ConnectionDefinition(id, c.partner(), c.system(),
                    change.zone() != null ? change.zone() : c.zone().getId(), c.medical(),
                    change.schedule() != null ? change.schedule() : c.schedule(), settings, credentials));
            // update() makes the connection ACTIVE: right after new credentials, not for a paused one
            boolean keepRejected = before == ConnectionStatus.CREDENTIALS_REJECTED && change.credentials() == null;
            if (before == ConnectionStatus.PAUSED && !Boolean.FALSE.equals(change.paused())) {
                service.pause(id, true);
            } else if (keepRejected) {
                repository.updateStatus(id, before, c.statusMessage());
            }
        }
        if (change.paused() != null) {
            service.pause(id, change.paused());
        }
        PartnerConnection changed = repository.find(id).orElseThrow();
        fileDropsOf(changed);
        return changed;
    }

    void delete(String partnerId, String id) {
        PartnerConnection c = live(partnerId, id);
        service.delete(id);
        fileDropsOf(c);
    }

    /** A file connection made, changed or deleted: its drop folder's adapter follows. */
    private void fileDropsOf(PartnerConnection c) {
        if (ConnectionService.FILE.equals(c.system())) {
            fileDrops.refresh();
        }
    }

    private String freeId(String base) {
        String slug = base.length() > 56 ? base.substring(0, 56) : base;
        String id = slug;
        for (int n = 2; repository.find(id).isPresent(); n++) {
            id = slug + "-" + n;
        }
        return id;
    }

    /** A deleted connection keeps its history, and changes no more. */
    static final class ConnectionDeletedException extends RuntimeException {
        ConnectionDeletedException(String id) {
            super("Connection " + id + " was deleted; its runs and dead letters can still be read");
        }
    }
}
