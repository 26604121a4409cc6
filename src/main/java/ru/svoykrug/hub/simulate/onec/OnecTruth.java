package ru.svoykrug.hub.simulate.onec;

import java.util.Map;

/**
 * What a complete sync of a simulated infobase must leave in staging: customers, receipt rows (every
 * well-formed receipt, effective or void), effective sales and returns with their sums, the receipts
 * that name no discount card (every other one names a customer through its card), and how many
 * malformed objects each stream has.
 */
public record OnecTruth(int customers, int receiptRows, int completedSales, long completedSalesKopecks,
                        int completedRefunds, long completedRefundsKopecks, int receiptsWithoutCard,
                        Map<String, Integer> rejected) {

    public int rejectedCount() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }
}
