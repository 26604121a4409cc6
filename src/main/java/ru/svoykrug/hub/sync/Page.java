package ru.svoykrug.hub.sync;

import ru.svoykrug.hub.staging.StagedPage;

import java.util.Map;

/**
 * What a reader made of one answer: the mapped rows, the cursor changes to commit with them, and whether
 * the stream has more. A page without rows ({@link #askAgain()}) writes nothing: the reader changed its
 * mind about what to ask (1C switching to a scan) and the stream goes on.
 */
public record Page(StagedPage rows, Map<String, String> cursor, boolean more) {

    public static Page askAgain() {
        return new Page(null, Map.of(), true);
    }

    boolean writes() {
        return rows != null;
    }
}
