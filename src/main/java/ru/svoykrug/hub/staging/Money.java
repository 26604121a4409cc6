package ru.svoykrug.hub.staging;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;

/** Money as partner systems send it (a number or a string, roubles with kopecks) to exact kopecks. */
public final class Money {

    private Money() {
    }

    public static long kopecks(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new MappingException(field + " is missing");
        }
        BigDecimal roubles;
        if (node.isNumber()) {
            roubles = node.decimalValue();
        } else if (node.isString()) {
            try {
                roubles = new BigDecimal(node.asString().trim());
            } catch (NumberFormatException e) {
                throw new MappingException(field + " is not an amount");
            }
        } else {
            throw new MappingException(field + " is not an amount");
        }
        if (roubles.stripTrailingZeros().scale() > 2) {
            throw new MappingException(field + " has fractions of a kopeck");
        }
        return roubles.movePointRight(2).longValueExact();
    }
}
