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
    private volatile String system;

    /** Serves the vendor API of {@code system} on every path matching {@code pathRegex}. */
    protected final void listen(String system, String pathRegex) {
        this.system = system;
        server = LoopbackWireMock.start(system + "-api", this::answer, pathRegex);
    }

    @Override
    public final String system() {
        return system;
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
