package ru.svoykrug.hub.connect.bitrix24;

import org.junit.jupiter.api.Test;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.StreamCursor;
import ru.svoykrug.hub.sync.StreamSync;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook comes from the credentials, whole or in parts; a wrong one is refused without being repeated. */
class Bitrix24WebhookTest {

    private static StreamSync sync(Map<String, String> credentials) {
        PartnerConnection c = new PartnerConnection("b24-unit", "Partner", "bitrix24", ZoneId.of("Europe/Moscow"), false,
                "0 0 3 * * ?", Map.of("baseUrl", "https://zvezda.bitrix24.ru"), ConnectionStatus.ACTIVE, null);
        return new StreamSync(1, c, credentials, "deals", StreamCursor.initial(), Instant.now(), null, "https://zvezda.bitrix24.ru/rest");
    }

    @Test
    void theWholeAddressAsBitrix24ShowsItOrItsTwoParts() {
        assertThat(Bitrix24Webhook.of(sync(Map.of("webhookUrl", "https://zvezda.bitrix24.ru/rest/12/k3y0f7h3h00k/"))))
                .isEqualTo(new Bitrix24Webhook("12", "k3y0f7h3h00k"));
        assertThat(Bitrix24Webhook.of(sync(Map.of("userId", "12", "webhookCode", "k3y0f7h3h00k"))).header())
                .isEqualTo("12/k3y0f7h3h00k");
    }

    @Test
    void aMissingOrMalformedWebhookRejectsTheCredentialsWithoutQuotingThem() {
        assertThatThrownBy(() -> Bitrix24Webhook.of(sync(Map.of("userId", "12"))))
                .isInstanceOf(CredentialsRejectedException.class).hasMessageContaining("webhookCode");
        assertThatThrownBy(() -> Bitrix24Webhook.of(sync(Map.of("webhookUrl", "https://zvezda.bitrix24.ru/crm/k3y0f7h3h00k"))))
                .isInstanceOf(CredentialsRejectedException.class).hasMessageNotContaining("k3y0f7h3h00k");
        assertThatThrownBy(() -> Bitrix24Webhook.of(sync(Map.of("userId", "12", "webhookCode", "k3y/../0f7h3h00k"))))
                .isInstanceOf(CredentialsRejectedException.class).hasMessageNotContaining("0f7h3h00k");
    }

    @Test
    void theApiRootIsThePortalsRestAndAWebhookInTheSettingsIsRefused() {
        Bitrix24Connector connector = new Bitrix24Connector(java.time.Clock.systemUTC());
        assertThat(connector.apiRoot("https://zvezda.bitrix24.ru")).isEqualTo("https://zvezda.bitrix24.ru/rest");
        assertThat(connector.apiRoot("https://zvezda.bitrix24.ru/rest/")).isEqualTo("https://zvezda.bitrix24.ru/rest");
        assertThatThrownBy(() -> connector.apiRoot("https://zvezda.bitrix24.ru/rest/12/k3y0f7h3h00k/"))
                .hasMessageContaining("credentials").hasMessageNotContaining("k3y0f7h3h00k");
    }
}
