package ru.svoykrug.hub.simulate.iiko;

/** What staging must hold for an iiko organization: every order, the closed ones as completed sales. */
public record IikoTruth(int saleRows, int completedSales, long completedSalesKopecks, int voidSales) {
}
