package ru.svoykrug.hub.simulate.yclients;

import java.util.List;
import java.util.Map;

/**
 * What a complete sync of a simulated company must leave in staging: customers, sale rows (every
 * well-formed record, whatever its status), completed sales and their sum, payments and their sum,
 * and the source ids of the malformed records per stream (null where the record has no id).
 */
public record YclientsTruth(int customers, int saleRows, int completedSales, long completedSalesKopecks,
                            int payments, long paymentsKopecks, Map<String, List<String>> rejected) {

    public int rejectedCount() {
        return rejected.values().stream().mapToInt(List::size).sum();
    }
}
