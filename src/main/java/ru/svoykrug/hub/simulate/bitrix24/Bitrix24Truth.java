package ru.svoykrug.hub.simulate.bitrix24;

/**
 * What a complete first sync of a simulated portal must leave in staging: every contact, every deal
 * still in the portal that is well formed (won ones, {@code STAGE_SEMANTIC_ID} "S", as completed sales with
 * their {@code OPPORTUNITY} in kopecks; lost ones, "F", void), and how many deals are malformed.
 */
public record Bitrix24Truth(int customers, int saleRows, int completedSales, long completedSalesKopecks, int voidSales,
                            int rejected) {
}
