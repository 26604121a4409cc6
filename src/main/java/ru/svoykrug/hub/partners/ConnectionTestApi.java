package ru.svoykrug.hub.partners;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.PartnerConnection;

import java.time.ZoneId;

/**
 * {@code POST .../connections/test} (a connection as it would be created, before saving it) and
 * {@code POST .../connections/{id}/test} (a saved one, with its stored credentials): sign in and read one
 * small page ({@link ConnectionProbe}). Always 200 with the outcome in plain words; 4xx only for a request
 * that is itself wrong (settings that do not pass the system's checks, another partner's connection).
 */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/connections")
class ConnectionTestApi {

    private final PartnerConnections connections;
    private final ConnectionRepository repository;
    private final ConnectionProbe probe;

    ConnectionTestApi(PartnerConnections connections, ConnectionRepository repository, ConnectionProbe probe) {
        this.connections = connections;
        this.repository = repository;
        this.probe = probe;
    }

    @PostMapping("/test")
    ConnectionProbe.Outcome testNew(@PathVariable @Pattern(regexp = PartnerApi.PARTNER_ID) String partnerId,
                                    @RequestBody @Valid @NotNull PartnerApi.NewConnection request) {
        ConnectionDefinition d = connections.definition(partnerId, request);
        ZoneId zone = zone(d.zone());
        return probe.probe(d.id(), d.partner(), d.system(), zone, d.medical(), d.settings(), d.credentials());
    }

    @PostMapping("/{id}/test")
    ConnectionProbe.Outcome testSaved(@PathVariable @Pattern(regexp = PartnerApi.PARTNER_ID) String partnerId,
                                      @PathVariable @Pattern(regexp = PartnerApi.CONNECTION_ID) String id) {
        PartnerConnection c = connections.live(partnerId, id);
        return probe.probe(c.id(), c.partner(), c.system(), c.zone(), c.medical(), c.settings(), repository.credentials(id));
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("zone: expected a time zone such as Europe/Moscow");
        }
    }
}
