package ru.svoykrug.hub.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Camel's routes on {@code /actuator/prometheus}: {@code hub.camel.exchanges} (a timer per route and
 * outcome). camel-micrometer is not served here, so this notifier, which Camel's Spring Boot support
 * registers with the context as a bean, does what its route policy would. A route of the sync template
 * is named {@code sync-<connection>-<stream>}: one exchange is one stream's whole run.
 */
@Component
class CamelRouteMetrics extends EventNotifierSupport {

    private final MeterRegistry registry;

    CamelRouteMetrics(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent e)) {
            return;
        }
        Exchange exchange = e.getExchange();
        String route = exchange.getFromRouteId();
        if (route == null) {
            return;
        }
        long elapsed = exchange.getClock().elapsed();
        Timer.builder("hub.camel.exchanges")
                .description("exchanges that ended, per route")
                .tags("route", route, "outcome", event instanceof CamelEvent.ExchangeFailedEvent ? "failed" : "completed")
                .register(registry)
                .record(Duration.ofMillis(Math.max(0, elapsed)));
    }
}
