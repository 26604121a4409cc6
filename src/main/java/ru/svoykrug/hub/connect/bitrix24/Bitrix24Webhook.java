package ru.svoykrug.hub.connect.bitrix24;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.Header;
import ru.svoykrug.hub.sync.CredentialsRejectedException;
import ru.svoykrug.hub.sync.StreamSync;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bitrix24 inbound webhook: the portal's address plus {@code /rest/<user id>/<code>/}, where the user id
 * and the code are the secret. They come from the credential vault ({@code userId} and {@code webhookCode},
 * or the whole {@code webhookUrl} as Bitrix24 shows it) and travel to the HTTP client in a header of the
 * request; the client puts them into the path of the copy it sends. Camel, its error handler, run messages
 * and log lines only ever see {@code <portal>/rest/<method>}, so the code is never repeated anywhere.
 */
record Bitrix24Webhook(String userId, String code) {

    /** The request header that carries {@code <user id>/<code>} from the reader to the client, never sent. */
    static final String HEADER = "X-Hub-Bitrix24-Webhook";

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern URL = Pattern.compile("^https?://[^/]+(?:/[^?#]*)?/rest/([^/?#]+)/([^/?#]+)/?$");

    static Bitrix24Webhook of(StreamSync sync) {
        String id = sync.connection().id();
        String url = sync.optionalCredential("webhookUrl");
        Bitrix24Webhook hook;
        if (!url.isBlank()) {
            Matcher m = URL.matcher(url.trim());
            if (!m.matches()) {
                // the address is the secret: say what shape it should have, never what it is
                throw new CredentialsRejectedException("Connection " + id
                        + ": webhookUrl is not a Bitrix24 inbound webhook (https://<portal>/rest/<user id>/<code>/)");
            }
            hook = new Bitrix24Webhook(m.group(1), m.group(2));
        } else {
            hook = new Bitrix24Webhook(sync.credential("userId"), sync.credential("webhookCode"));
        }
        if (!PART.matcher(hook.userId).matches() || !PART.matcher(hook.code).matches()) {
            throw new CredentialsRejectedException("Connection " + id + ": the webhook's user id or code is not of Bitrix24's shape");
        }
        return hook;
    }

    String header() {
        return userId + "/" + code;
    }

    /**
     * The HTTP client of a connection: rate-limited as every partner's, and putting the webhook into the path
     * of each attempt (redeliveries included) below the API root's path ({@code /rest/}).
     */
    record Client(HttpClientConfigurer rateLimited, String apiRoot) implements HttpClientConfigurer {

        @Override
        public void configureHttpClient(HttpClientBuilder builder) {
            rateLimited.configureHttpClient(builder);
            String prefix = URI.create(apiRoot).getPath() + "/";
            // The chain works on a copy of Camel's request: the address Camel reports stays without the webhook.
            builder.addExecInterceptorFirst("hub-bitrix24-webhook", (request, scope, chain) -> {
                Header hook = request.getFirstHeader(HEADER);
                if (hook != null) {
                    request.removeHeaders(HEADER);
                    String path = request.getPath();
                    if (path.startsWith(prefix)) {
                        request.setPath(prefix + hook.getValue() + "/" + path.substring(prefix.length()));
                    }
                }
                return chain.proceed(request, scope);
            });
        }
    }
}
