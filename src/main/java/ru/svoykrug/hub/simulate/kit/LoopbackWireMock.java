package ru.svoykrug.hub.simulate.kit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.function.Function;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock server on a free loopback port whose every request under a path is answered by one
 * function: the simulator's model of the vendor API. No request journal, so a benchmark's million
 * requests cost no memory.
 */
public final class LoopbackWireMock {

    private LoopbackWireMock() {
    }

    public static WireMockServer start(String name, Function<Request, ResponseDefinition> api, String pathRegex) {
        ResponseDefinitionTransformerV2 transformer = new ResponseDefinitionTransformerV2() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean applyGlobally() {
                return false;
            }

            @Override
            public ResponseDefinition transform(ServeEvent event) {
                return api.apply(event.getRequest());
            }
        };
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .port(0)
                .containerThreads(16)
                .disableRequestJournal()
                .notifier(new Slf4jNotifier(false))
                .extensions(transformer));
        server.start();
        server.stubFor(any(urlPathMatching(pathRegex)).willReturn(aResponse().withTransformers(name)));
        return server;
    }
}
