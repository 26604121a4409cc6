package ru.svoykrug.hub.simulate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.sync.SimulatedSystems;
import ru.svoykrug.hub.simulate.onec.OnecDataSet;
import ru.svoykrug.hub.simulate.onec.OnecSimulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioDataSet;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.iiko.IikoDataSet;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsDataSet;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The partner systems of the demo, simulated in this JVM on loopback ports: what {@code mvn spring-boot:run}
 * syncs on a machine with no partner system in reach. Off with {@code hub.demo.simulators=false}.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.simulators", havingValue = "true")
@EnableConfigurationProperties(DemoSimulators.Settings.class)
public class DemoSimulators implements SimulatedSystems, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoSimulators.class);

    private final YclientsSimulator yclients;
    private final OnecSimulator onec;
    private final RenovatioSimulator renovatio;
    private final AmocrmSimulator amocrm;
    private final IikoSimulator iiko;

    public DemoSimulators(Settings settings) {
        this.yclients = YclientsSimulator.start(
                new YclientsDataSet(settings.seed(), settings.yclientsRecords(), settings.malformedEvery(), ZoneId.of("Europe/Moscow"),
                        java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()),
                settings.yclientsCompanyId());
        log.info("YCLIENTS simulator: {} records of company {} at {}", settings.yclientsRecords(),
                settings.yclientsCompanyId(), yclients.baseUrl());
        this.onec = OnecSimulator.start(new OnecDataSet(settings.seed(), settings.onecReceipts(), settings.malformedEvery(),
                ZoneId.of("Europe/Moscow"), Instant.now()));
        log.info("1C OData simulator: {} receipts at {}", settings.onecReceipts(), onec.baseUrl());
        this.renovatio = RenovatioSimulator.start(new RenovatioDataSet(settings.seed(), settings.renovatioAppointments(),
                settings.malformedEvery(), ZoneId.of("Europe/Moscow"), Instant.now()));
        log.info("Renovatio simulator: {} appointments at {}", settings.renovatioAppointments(), renovatio.baseUrl());
        this.amocrm = AmocrmSimulator.start(new AmocrmDataSet(settings.seed(), settings.amocrmLeads()));
        log.info("amoCRM simulator: {} leads at {}", settings.amocrmLeads(), amocrm.baseUrl());
        this.iiko = IikoSimulator.start(new IikoDataSet(settings.seed(), settings.iikoOrders(), ZoneId.of("Europe/Moscow")));
        log.info("iiko simulator: {} orders of organization {} at {}", settings.iikoOrders(), iiko.data().organizationId(),
                iiko.baseUrl());
    }

    @Override
    public Optional<String> baseUrl(String system) {
        return switch (system) {
            case "yclients" -> Optional.of(yclients.baseUrl());
            case "onec" -> Optional.of(onec.baseUrl());
            case "renovatio" -> Optional.of(renovatio.baseUrl());
            case "amocrm" -> Optional.of(amocrm.baseUrl());
            case "iiko" -> Optional.of(iiko.baseUrl());
            default -> Optional.empty();
        };
    }

    public YclientsSimulator yclients() {
        return yclients;
    }

    public AmocrmSimulator amocrm() {
        return amocrm;
    }

    public IikoSimulator iiko() {
        return iiko;
    }

    @Override
    public void close() {
        amocrm.close();
        iiko.close();
        yclients.close();
        onec.close();
        renovatio.close();
    }

    @ConfigurationProperties(prefix = "hub.demo")
    public record Settings(long seed, int yclientsRecords, int yclientsCompanyId, int malformedEvery,
                           int onecReceipts, int renovatioAppointments, int amocrmLeads, int iikoOrders) {
        public Settings {
            onecReceipts = onecReceipts == 0 ? 2000 : onecReceipts;
            renovatioAppointments = renovatioAppointments == 0 ? 1000 : renovatioAppointments;
            amocrmLeads = amocrmLeads == 0 ? 1000 : amocrmLeads;
            iikoOrders = iikoOrders == 0 ? 1500 : iikoOrders;
            seed = seed == 0 ? 42 : seed;
            yclientsRecords = yclientsRecords == 0 ? 2000 : yclientsRecords;
            yclientsCompanyId = yclientsCompanyId == 0 ? 4564 : yclientsCompanyId;
        }
    }
}
