package ru.svoykrug.hub.imports;

import java.util.List;

/** What an import did: rows read, rows good, rows that changed staging, and each bad row with its reason. */
public record ImportReport(long rows, long imported, long changed, List<BadRow> badRows) {

    /** A bad row by its line number, the columns that failed and why (never the row's values). */
    public record BadRow(int line, String fields, String reason) {
    }
}
