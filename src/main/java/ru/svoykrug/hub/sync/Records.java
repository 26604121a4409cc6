package ru.svoykrug.hub.sync;

import tools.jackson.databind.JsonNode;

/** A descriptor's record selector applied to an answer: a dot-separated path of fields ({@code _embedded.leads}). */
public final class Records {

    private Records() {
    }

    /** The node at {@code selector}; a missing node when the answer has none there. */
    public static JsonNode select(JsonNode root, String selector) {
        JsonNode node = root;
        for (String field : selector.split("\\.")) {
            node = node.path(field);
        }
        return node;
    }
}
