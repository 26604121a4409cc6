package ru.svoykrug.hub.simulate.renovatio;

/** What a complete sync of a simulated clinic must leave in staging. */
public record RenovatioTruth(int customers, int saleRows, int completedSales, long completedSalesKopecks,
                             int payments, long paymentsKopecks, int rejected) {
}
