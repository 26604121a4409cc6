package ru.svoykrug.hub.security;

/** Who a token speaks for; its authority is {@code ROLE_} and the name. */
public enum Role {
    /** the hub's operators: everything under {@code /api/v1/ops/}, the night, actuator details */
    OPS,
    /** one partner (the token's {@code partner} claim): its own {@code /api/v1/partners/{partnerId}/...} */
    PARTNER,
    /** one customer (the token's subject, the core customer id): {@code /api/v1/customers/me/...} */
    CUSTOMER,
    /**
     * a grant, beside OPS: per-partner figures of medical partners (connections with {@code medical: true}),
     * which ops without it never see; alone it opens no path
     */
    MEDICAL;

    public String authority() {
        return "ROLE_" + name();
    }
}
