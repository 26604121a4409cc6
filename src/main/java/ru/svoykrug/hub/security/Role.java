package ru.svoykrug.hub.security;

/** Who a token speaks for; its authority is {@code ROLE_} and the name. */
public enum Role {
    /** the hub's operators: everything under {@code /api/v1/ops/}, the night, actuator details */
    OPS,
    /** one partner (the token's {@code partner} claim): its own {@code /api/v1/partners/{partnerId}/...} */
    PARTNER,
    /** one customer (the token's subject, the core customer id): {@code /api/v1/customers/me/...} */
    CUSTOMER;

    public String authority() {
        return "ROLE_" + name();
    }
}
