package ru.svoykrug.hub.sync.http;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads partner payloads; floats become BigDecimal so that money stays exact. */
public final class PartnerJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private PartnerJson() {
    }
}
