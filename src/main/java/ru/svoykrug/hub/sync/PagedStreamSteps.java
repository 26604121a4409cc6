package ru.svoykrug.hub.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import ru.svoykrug.hub.sync.http.HttpRetryProperties;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The typed steps of {@code routes/paged-stream.yaml} and of the partner-http error handler, bound by
 * name in the Camel registry. Each works on the {@link StreamSync} the run put on the exchange.
 */
@Configuration(proxyBeanMethods = false)
class PagedStreamSteps {

    /** Loop condition: the last committed page said there is more. */
    @Bean
    Predicate streamHasMore() {
        return exchange -> sync(exchange).hasMore();
    }

    /** The reader's next request, onto the message the HTTP endpoint sends. */
    @Bean
    Processor streamRequest() {
        return exchange -> {
            StreamSync sync = sync(exchange);
            PartnerRequest request = sync.reader().next();
            StreamDescriptor.Stream stream = sync.streamDescriptor();
            Message message = exchange.getMessage();
            message.removeHeaders("*");
            message.setBody(request.body());
            message.setHeader(Exchange.HTTP_METHOD, sync.descriptor().requester().method());
            sync.descriptor().requester().headers().forEach(message::setHeader);
            request.headers().forEach(message::setHeader);
            if (request.uri() != null) {
                message.setHeader(Exchange.HTTP_URI, request.uri());
                return;
            }
            String path = request.path() != null ? request.path() : stream.path();
            if (path != null) {
                message.setHeader(Exchange.HTTP_PATH, withSettings(path, sync));
            }
            String query = withFixed(request.query(), stream.query());
            if (query != null) {
                message.setHeader(Exchange.HTTP_QUERY, query);
            }
        };
    }

    /** The answer to rows and cursor, written in one transaction; then the reader hears it is committed. */
    @Bean
    Processor streamPage(PageWriter writer) {
        return exchange -> {
            StreamSync sync = sync(exchange);
            Message message = exchange.getMessage();
            Page page;
            try (InputStream body = message.getBody(InputStream.class)) {
                page = sync.reader().read(new PartnerAnswer(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), body));
            }
            if (page.writes()) {
                writer.write(sync, page);
                sync.reader().committed(page);
            }
        };
    }

    /** Error handler: a failed call the stream's reader reads itself (see {@link StreamReader#readsFailure}). */
    @Bean
    Predicate failureReadByStream() {
        return exchange -> exchange.getException() instanceof HttpOperationFailedException http
                && exchange.getProperty(StreamSync.PROPERTY) != null
                && sync(exchange).reader().readsFailure(http.getStatusCode(), http.getResponseBody());
    }

    /** Error handler: such a failure becomes the answer the route goes on with. */
    @Bean
    Processor failureAsAnswer() {
        return exchange -> {
            HttpOperationFailedException http = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
            Message message = exchange.getMessage();
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, http.getStatusCode());
            message.setBody(http.getResponseBody() == null ? null : http.getResponseBody().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Error handler: what is worth another attempt, a burst limit (429), a vendor fault (5xx) or a dropped connection. */
    @Bean
    Predicate retryableFailure() {
        return PagedStreamSteps::retryable;
    }

    /**
     * Error handler, asked before each redelivery: another attempt only while attempts remain and the call's
     * latest failure is still worth one. Without it Camel goes on redelivering under the policy of the first
     * failure, so a 429 followed by a refused token refresh was retried for minutes with a token that can
     * never work again.
     */
    @Bean
    Predicate stillRetryable(HttpRetryProperties retry) {
        return exchange -> retryable(exchange)
                && exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class) <= retry.maxRedeliveries();
    }

    private static boolean retryable(Exchange exchange) {
        Exception e = exchange.getException();
        if (e instanceof HttpOperationFailedException http) {
            return http.getStatusCode() == 429 || http.getStatusCode() >= 500;
        }
        return e instanceof IOException;
    }

    private static StreamSync sync(Exchange exchange) {
        return exchange.getProperty(StreamSync.PROPERTY, StreamSync.class);
    }

    private static String withSettings(String path, StreamSync sync) {
        String result = path;
        int open;
        while ((open = result.indexOf('{')) >= 0) {
            int close = result.indexOf('}', open);
            String name = result.substring(open + 1, close);
            result = result.substring(0, open) + sync.connection().requiredSetting(name) + result.substring(close + 1);
        }
        return result;
    }

    private static String withFixed(String query, Map<String, String> fixed) {
        if (fixed.isEmpty()) {
            return query;
        }
        StringBuilder all = new StringBuilder(query == null ? "" : query);
        fixed.forEach((k, v) -> all.append(all.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return all.toString();
    }
}
