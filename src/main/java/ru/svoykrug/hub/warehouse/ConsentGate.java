package ru.svoykrug.hub.warehouse;

import org.springframework.jdbc.core.JdbcOperations;

/**
 * Who the warehouse leaves out: customers without consent to analytics (152-FZ). The bean of this type
 * ({@code privacy.ConsentGateOfRecords}) fills {@code export_excluded} (a temporary table of the export's
 * transaction, one {@code customer_id} a row) with the customers without consent; every export query
 * skips them (events, ledger entries, RFM, churn scores). Once a
 * customer consents, the next export sends their purchases (compared with what was exported, not with
 * the last night); ledger entries of the nights they were left out stay out.
 */
@FunctionalInterface
public interface ConsentGate {

    /** A gate that leaves nobody out (for an export without a database of consents, as in unit tests). */
    ConsentGate EVERYONE_UNTIL_CONSENT_EXISTS = jdbc -> {
    };

    /** Inserts into {@code export_excluded (customer_id)} the customers the export must leave out. */
    void listExcluded(JdbcOperations jdbc);
}
