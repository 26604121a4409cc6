package ru.svoykrug.hub.simulate;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock server on a free loopback port whose every request under a path is answered by one
 * transformer: the simulator's model of the vendor API. No request journal, so a benchmark's million
 * requests cost no memory.
 */
public final class LoopbackWireMock {

    private LoopbackWireMock() {
    }

    public static WireMockServer start(ResponseDefinitionTransformerV2 api, String pathRegex) {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(0)
                .containerThreads(16)
                .disableRequestJournal()
                .notifier(new Slf4jNotifier(false))
                .extensions(api));
        server.start();
        server.stubFor(any(urlPathMatching(pathRegex)).willReturn(aResponse().withTransformers(api.getName())));
        return server;
    }
}
