package ru.svoykrug.hub.connect.amocrm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import ru.svoykrug.hub.connect.Staged;
import ru.svoykrug.hub.connect.SyncFaults;
import ru.svoykrug.hub.connect.SyncScenario;
import ru.svoykrug.hub.connect.TestConnection;
import ru.svoykrug.hub.connections.ConnectionDefinition;
import ru.svoykrug.hub.connections.ConnectionStatus;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.simulate.amocrm.AmocrmDataSet;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator.TokenPair;
import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.sync.SyncRun;
import ru.svoykrug.hub.sync.SyncRunStatus;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
/**
 * amoCRM's OAuth against its simulator, end to end: a rotated pair lost in a crash, two hub nodes refreshing at
 * once, a reused or revoked refresh token, and first connections from an authorization code or a refresh token.
 */
class AmocrmAuthorisationTest extends SyncScenario {

    @Autowired
    TokenFaults tokenFaults;
    @Autowired
    AmocrmConnector connector;

    @AfterEach
    void clearTokenFaults() {
        tokenFaults.clear();
    }

    private AmocrmSimulator simulator(long seed, int leads) {
        return started(AmocrmSimulator.start(new AmocrmDataSet(seed, leads)));
    }

    /** A connection holding {@code pair}, as the partner's first authorisation left it. */
    private ConnectionDefinition oauth(String id, AmocrmSimulator sim, int pageSize, TokenPair pair) {
        Instant now = Instant.now();
        return connection(id, sim).settings("pageSize", Integer.toString(pageSize)).credentials(Map.of(
                "clientId", AmocrmSimulator.CLIENT_ID, "clientSecret", AmocrmSimulator.CLIENT_SECRET,
                "redirectUri", AmocrmSimulator.REDIRECT_URI, "accessToken", pair.accessToken(), "refreshToken", pair.refreshToken(),
                "issuedAt", now.toString(), "expiresAt", now.plusSeconds(pair.expiresIn()).toString())).definition();
    }

    /** A connection of the integration with one credential of the partner's: a code or a refresh token. */
    private TestConnection integration(String id, AmocrmSimulator sim, String credential, String value) {
        return connection(id, sim).credentials(Map.of("clientId", AmocrmSimulator.CLIENT_ID,
                "clientSecret", AmocrmSimulator.CLIENT_SECRET, "redirectUri", AmocrmSimulator.REDIRECT_URI, credential, value));
    }

    @Test
    void crashBetweenReceivingARotatedPairAndStoringItRecoversByItself() {
        AmocrmSimulator sim = simulator(3, 600);
        connect(connection("amo-rotate-crash", sim).settings("pageSize", "100"));
        String storedRefresh = repository.credentials("amo-rotate-crash").get("refreshToken");
        sim.expireAccessTokens();
        tokenFaults.crashBeforeStoringNextPair("amo-rotate-crash");

        SyncRun crashed = sync("amo-rotate-crash");

        assertThat(crashed.status()).isIn(SyncRunStatus.FAILED, SyncRunStatus.SUCCEEDED);
        assertThat(repository.find("amo-rotate-crash").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(sim.refreshes()).isGreaterThanOrEqualTo(1);

        SyncRun recovered = sync("amo-rotate-crash");

        assertThat(recovered.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-rotate-crash")).isEqualTo(Staged.of(sim.data().truth()));
        assertThat(repository.credentials("amo-rotate-crash").get("refreshToken")).isNotEqualTo(storedRefresh);
        assertThat(repository.find("amo-rotate-crash").orElseThrow().status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void aSingleCrashedRefreshLosesNothingEither() {
        AmocrmSimulator sim = simulator(4, 100);
        TokenPair pair = sim.authorise();
        connect(oauth("amo-rotate-one", sim, 100, pair));
        PartnerConnection c = repository.find("amo-rotate-one").orElseThrow();
        sim.expireAccessTokens();
        tokenFaults.crashBeforeStoringNextPair("amo-rotate-one");
        AmocrmTokens dying = connector.tokens(c, sim.baseUrl());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dying.renewAfterRejection(pair.accessToken())).isInstanceOf(SyncFaults.SimulatedCrash.class);
        assertThat(repository.credentials("amo-rotate-one").get("refreshToken")).isEqualTo(pair.refreshToken());

        String token = connector.tokens(c, sim.baseUrl()).renewAfterRejection(pair.accessToken());

        assertThat(token).isNotEqualTo(pair.accessToken());
        assertThat(repository.credentials("amo-rotate-one").get("accessToken")).isEqualTo(token);
        assertThat(sim.refreshes()).isEqualTo(2);
        assertThat(sync("amo-rotate-one").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
    }

    @Test
    void twoHubNodesRefreshingAtOnceRotateTheTokenOnce() throws Exception {
        AmocrmSimulator sim = simulator(6, 50);
        TokenPair pair = sim.authorise();
        connect(oauth("amo-two-nodes", sim, 100, pair));
        PartnerConnection c = repository.find("amo-two-nodes").orElseThrow();
        sim.expireAccessTokens();
        // each keeper has its own memory and monitor, as on two hub nodes; only the database is shared
        AmocrmTokens nodeA = connector.tokens(c, sim.baseUrl());
        AmocrmTokens nodeB = connector.tokens(c, sim.baseUrl());
        CyclicBarrier start = new CyclicBarrier(2);

        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> renewAfterBarrier(nodeA, start, pair.accessToken()));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> renewAfterBarrier(nodeB, start, pair.accessToken()));

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(b.get(30, TimeUnit.SECONDS));
        assertThat(sim.refreshes()).isEqualTo(1);
        assertThat(repository.credentials("amo-two-nodes").get("accessToken")).isEqualTo(a.get());
    }

    private static String renewAfterBarrier(AmocrmTokens tokens, CyclicBarrier barrier, String rejected) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return tokens.renewAfterRejection(rejected);
    }

    @Test
    void revokedOrReusedRefreshTokenStopsTheConnectionAndSaysThePartnerMustReauthorise() {
        AmocrmSimulator sim = simulator(7, 200);
        TokenPair original = sim.authorise();
        ConnectionDefinition definition = oauth("amo-revoked", sim, 100, original);
        connections.ensure(definition);
        sim.expireAccessTokens();
        assertThat(sync("amo-revoked").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        Staged before = staged("amo-revoked");

        // someone puts the first pair back: its refresh token was used and its successor too, so it is dead
        connections.update(definition);
        sim.expireAccessTokens();
        SyncRun reused = sync("amo-revoked");

        assertThat(reused.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(reused.errorMessage()).contains("HTTP 400").contains("must re-authorise")
                .as("amoCRM's answer itself stays out").doesNotContain("Token has been revoked").doesNotContain("Некорректный");
        PartnerConnection stopped = repository.find("amo-revoked").orElseThrow();
        assertThat(stopped.status()).isEqualTo(ConnectionStatus.CREDENTIALS_REJECTED);
        assertThat(stopped.statusMessage()).contains("must re-authorise").doesNotContain("Token has been revoked");
        assertThat(staged("amo-revoked")).isEqualTo(before);

        // the partner re-authorises; later the integration is revoked in amoCRM altogether
        connections.update(oauth("amo-revoked", sim, 100, sim.authorise()));
        assertThat(sync("amo-revoked").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        sim.revokeIntegration();
        SyncRun revoked = sync("amo-revoked");
        assertThat(revoked.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(revoked.errorMessage()).contains("must re-authorise");
    }

    @Test
    void aTokenRefusedWhileA429IsRetriedEndsTheRetries() {
        AmocrmSimulator sim = simulator(13, 60);
        connections.ensure(oauth("amo-429-revoked", sim, 100, sim.authorise()));
        assertThat(sync("amo-429-revoked").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        // every stream's next call is refused for the burst limit; by the retry, the integration is revoked
        sim.storm429(3);
        sim.revokeIntegration();
        long before = sim.requests();

        SyncRun run = sync("amo-429-revoked");

        assertThat(run.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        // each stream: its call, the 429, a retry refused, one refresh refused; not eight retries with a dead token
        assertThat(sim.requests() - before).as("calls after the revocation").isLessThanOrEqualTo(12);
    }

    @Test
    void theIntegrationsAuthorizationCodeIsAllAFirstConnectionNeeds() {
        AmocrmSimulator sim = simulator(11, 300);
        String account = sim.baseUrl().substring(0, sim.baseUrl().length() - "/api/v4".length());
        connect(integration("amo-code", sim, "authorizationCode", sim.authorizationCode())
                .settings("baseUrl", account)); // the account's address, without /api/v4

        SyncRun first = sync("amo-code");

        assertThat(first.status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-code")).isEqualTo(Staged.of(sim.data().truth()));
        Map<String, String> stored = repository.credentials("amo-code");
        assertThat(stored).containsKeys("accessToken", "refreshToken", "expiresAt").doesNotContainKey("authorizationCode");
        byte[] blob = jdbc.queryForObject("SELECT credentials FROM ops.partner_connection WHERE id = 'amo-code'", byte[].class);
        assertThat(new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(stored.get("refreshToken"));

        sim.expireAccessTokens();
        assertThat(sync("amo-code").status()).as("the exchanged pair refreshes like any").isEqualTo(SyncRunStatus.SUCCEEDED);
    }

    @Test
    void aRefreshTokenAloneIsEnoughAndAUsedCodeStopsTheConnection() {
        AmocrmSimulator sim = simulator(12, 200);
        connect(integration("amo-refresh-only", sim, "refreshToken", sim.authorise().refreshToken()));
        assertThat(sync("amo-refresh-only").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        assertThat(staged("amo-refresh-only")).isEqualTo(Staged.of(sim.data().truth()));

        String code = sim.authorizationCode();
        connect(integration("amo-code-once", sim, "authorizationCode", code));
        connect(integration("amo-code-twice", sim, "authorizationCode", code));
        assertThat(sync("amo-code-once").status()).isEqualTo(SyncRunStatus.SUCCEEDED);
        SyncRun twice = sync("amo-code-twice");
        assertThat(twice.status()).isEqualTo(SyncRunStatus.CREDENTIALS_REJECTED);
        assertThat(twice.errorMessage()).contains("authorization code").contains("HTTP 400").doesNotContain(code);
    }
}
