package ru.svoykrug.hub.connect.onec;

import ru.svoykrug.hub.sync.StreamSync;
import ru.svoykrug.hub.sync.VendorErrorException;
import ru.svoykrug.hub.sync.http.PartnerJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What a 1C OData answer is: JSON or not, its {@code odata.error} code (never its message). */
final class OnecAnswers {

    private OnecAnswers() {
    }

    static boolean isJson(byte[] body) {
        if (body == null) {
            return false;
        }
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    static JsonNode parse(byte[] body) {
        if (body == null) {
            throw new VendorErrorException("1C answered with an empty body");
        }
        try {
            return PartnerJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new VendorErrorException("1C answered with something that is not JSON");
        }
    }

    /** What the vendor said, for the run's message; nothing for a medical connection. */
    static String said(StreamSync sync, byte[] body) {
        return sync.connection().medical() ? "" : ": " + odataError(body);
    }

    /**
     * The code of an {@code odata.error}, never its message nor a body that is not one: 1C's messages
     * quote the query and the data it choked on.
     */
    private static String odataError(byte[] body) {
        if (body != null && isJson(body)) {
            try {
                JsonNode code = PartnerJson.MAPPER.readTree(body).path("odata.error").path("code");
                if (code.isString() || code.isIntegralNumber()) {
                    String text = code.asString();
                    if (text.matches("[A-Za-z0-9_.:\\-]{1,64}")) {
                        return "error " + text;
                    }
                }
            } catch (JacksonException ignored) {
                // not JSON after all: nothing to say
            }
        }
        return "no error code";
    }
}
