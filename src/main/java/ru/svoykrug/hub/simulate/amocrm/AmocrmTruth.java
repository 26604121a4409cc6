package ru.svoykrug.hub.simulate.amocrm;

/**
 * What staging must hold for an amoCRM account: every contact, every lead ever seen (deleted ones as
 * void sales), and the won leads as completed sales with their price in kopecks.
 */
public record AmocrmTruth(int customers, int saleRows, int completedSales, long completedSalesKopecks) {
}
