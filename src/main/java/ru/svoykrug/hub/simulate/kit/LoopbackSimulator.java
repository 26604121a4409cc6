package ru.svoykrug.hub.simulate.kit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;

/**
 * A simulator whose vendor API is one function of the request, served on a free loopback port. A
 * subclass calls {@link #listen} last in its constructor, so no request meets a half-made simulator.
 */
public abstract class LoopbackSimulator implements Simulator {

    private volatile WireMockServer server;

    protected final void listen(String name, String pathRegex) {
        server = LoopbackWireMock.start(name, this::answer, pathRegex);
    }

    /** The vendor API: one answer per request. */
    protected abstract ResponseDefinition answer(Request request);

    /** {@code http://127.0.0.1:<port>}: the scheme, host and port of the simulated server. */
    protected String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
