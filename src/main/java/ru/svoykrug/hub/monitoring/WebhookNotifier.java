package ru.svoykrug.hub.monitoring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts a notification as JSON to the configured webhook: {@code event} (opened / resolved), {@code kind},
 * {@code partner}, {@code partnerId}, {@code connection}, {@code system}, {@code status}, {@code errorClass},
 * {@code summary}, {@code night} / {@code businessDate} for a night, the times, and {@code link} to the
 * dashboard. Any 2xx is delivered; anything else is tried again at the next check.
 */
class WebhookNotifier {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI url;
    private final String dashboard;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebhookNotifier(URI url, String dashboard) {
        this.url = url;
        this.dashboard = dashboard.endsWith("/") ? dashboard : dashboard + "/";
    }

    boolean send(Incidents.Pending p) {
        String body = JSON.writeValueAsString(payload(p));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                log.info("Alert {} {} sent", p.opening() ? "opened" : "resolved", p.kind());
                return true;
            }
            log.warn("Alert webhook answered {}; notification {} is tried again at the next check", status, p.id());
        } catch (IOException e) {
            log.warn("Alert webhook not reached ({}); notification {} is tried again at the next check", e.getClass().getSimpleName(), p.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    Map<String, Object> payload(Incidents.Pending p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", p.opening() ? "opened" : "resolved");
        json.put("kind", p.kind().name());
        json.put("summary", (p.opening() ? "" : "resolved: ") + p.kind().words);
        json.put("partner", p.partner());
        json.put("partnerId", p.partnerId());
        json.put("connection", p.connectionId());
        json.put("system", p.system());
        json.put("status", p.status());
        json.put("errorClass", p.errorClass());
        json.put("night", p.nightId());
        json.put("businessDate", p.businessDate());
        json.put("openedAt", p.openedAt() == null ? null : p.openedAt().toString());
        json.put("resolvedAt", p.opening() || p.resolvedAt() == null ? null : p.resolvedAt().toString());
        json.put("link", link(p));
        return json;
    }

    private String link(Incidents.Pending p) {
        if (p.connectionId() != null) {
            return dashboard + "#/connection/" + p.connectionId();
        }
        return p.nightId() != null ? dashboard + "#/night/" + p.nightId() : dashboard;
    }
}
