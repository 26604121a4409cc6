package ru.svoykrug.hub.analytics.churn;

/** Starting points for the fits, from simple moments of the data. */
final class StartValues {
    private StartValues() {
    }

    /**
     * A start for alpha when r starts at 1: the Gamma mean r / alpha is then the sample's repeat purchases per
     * week of observation, so the first simplex is already on the right scale of rates.
     */
    static double rateScale(GroupedCustomers customers) {
        double purchases = 0;
        double weeks = 0;
        for (int g = 0; g < customers.groups(); g++) {
            purchases += customers.count(g) * customers.x(g);
            weeks += customers.count(g) * customers.T(g);
        }
        if (purchases == 0 || weeks == 0) {
            return 1;
        }
        return weeks / purchases;
    }
}
