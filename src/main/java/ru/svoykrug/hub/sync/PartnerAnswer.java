package ru.svoykrug.hub.sync;

import java.io.IOException;
import java.io.InputStream;

/** A partner's answer to one request: its HTTP status (0 when unknown) and its body (null when empty). */
public record PartnerAnswer(int status, InputStream body) {

    public byte[] bytes() throws IOException {
        return body == null ? null : body.readAllBytes();
    }
}
