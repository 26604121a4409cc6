package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An invoice's {@code status}, which Renovatio hosts send as a word ({@code paid}, {@code unpaid},
 * {@code cancelled}) or as a number. The words and the codes known are the default; a connection adds
 * or overrides codes with the setting {@code invoiceStatuses} ({@code "1=paid,2=unpaid,3=cancelled"}:
 * each code or word to one of the three words). Anything else is a dead letter naming the field.
 */
record InvoiceStatuses(Map<String, SaleStatus> byValue) {

    /** Codes known from Renovatio hosts that send numbers; a host that numbers otherwise is configured. */
    static final String KNOWN_CODES = "0=unpaid,1=paid,2=cancelled";
    static final InvoiceStatuses DEFAULT = parse(KNOWN_CODES);

    static InvoiceStatuses of(PartnerConnection c) {
        String configured = c.setting("invoiceStatuses", null);
        return configured == null || configured.isBlank() ? DEFAULT : parse(KNOWN_CODES + "," + configured);
    }

    static InvoiceStatuses parse(String mapping) {
        Map<String, SaleStatus> byValue = new HashMap<>();
        byValue.put("paid", SaleStatus.COMPLETED);
        byValue.put("unpaid", SaleStatus.PENDING);
        byValue.put("cancelled", SaleStatus.VOID);
        Map<String, SaleStatus> words = Map.copyOf(byValue);
        for (String pair : mapping.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            SaleStatus status = parts.length == 2 ? words.get(parts[1].trim().toLowerCase(Locale.ROOT)) : null;
            if (status == null) {
                throw new IllegalArgumentException("invoiceStatuses: '" + pair.trim()
                        + "' is not code=paid, code=unpaid or code=cancelled");
            }
            byValue.put(parts[0].trim().toLowerCase(Locale.ROOT), status);
        }
        return new InvoiceStatuses(Map.copyOf(byValue));
    }

    SaleStatus status(JsonNode status) {
        if (status == null || status.isNull()) {
            throw new MappingException("status is missing");
        }
        if (!status.isValueNode()) {
            throw new MappingException("status is not one Renovatio defines for invoices");
        }
        String key = status.isIntegralNumber() ? Long.toString(status.asLong()) : status.asString().trim().toLowerCase(Locale.ROOT);
        SaleStatus mapped = byValue.get(key);
        if (mapped == null) {
            throw new MappingException("status is not one Renovatio defines for invoices (nor one configured in invoiceStatuses)");
        }
        return mapped;
    }
}
