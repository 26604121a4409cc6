package ru.svoykrug.hub.connect.amocrm;

/**
 * amoCRM issued a new token pair for a connection and the hub is about to store it: the one moment at
 * which losing the hub would lose the pair (the tests crash it here on purpose).
 */
public record AmocrmTokenPairReceived(String connectionId) {
}
