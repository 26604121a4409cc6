package ru.svoykrug.hub.connect.renovatio;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.MappingException;
import ru.svoykrug.hub.staging.StagedPage.CustomerRow;
import ru.svoykrug.hub.staging.StagedPage.PaymentRow;
import ru.svoykrug.hub.staging.StagedPage.SaleKind;
import ru.svoykrug.hub.staging.StagedPage.SaleRow;
import ru.svoykrug.hub.staging.StagedPage.SaleStatus;
import ru.svoykrug.hub.staging.StagedPage;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Renovatio appointments and payments to canonical rows. A completed appointment is a sale of the sum of
 * its services' price times count (both sent as strings); an upcoming one is pending, a refused one void.
 *
 * <p>Medical secrecy: only the patient id, phone, visit time, status and amounts are read. Service
 * titles, doctors, programmes, diagnoses and comments are never looked at, and reasons never quote a value
 * (no dead letter of any connection keeps a record's values).
 */
final class RenovatioMapper {

    private final ZoneId zone;
    private final boolean medical;
    private final Instant seenAt;
    private final InvoiceStatuses invoiceStatuses;
    private final Map<String, String> knownInvoices;
    /** Invoice id to its appointment id (null: an invoice of its own), of the invoices mapped. */
    final Map<String, String> invoiceLinks = new LinkedHashMap<>();

    RenovatioMapper(ZoneId zone, boolean medical, Instant seenAt) {
        this(zone, medical, seenAt, InvoiceStatuses.DEFAULT, Map.of());
    }

    /** {@code knownInvoices}: invoice id to appointment id, for the invoices the payments name. */
    RenovatioMapper(ZoneId zone, boolean medical, Instant seenAt, InvoiceStatuses invoiceStatuses,
                    Map<String, String> knownInvoices) {
        this.zone = zone;
        this.medical = medical;
        this.seenAt = seenAt;
        this.invoiceStatuses = invoiceStatuses;
        this.knownInvoices = knownInvoices;
    }

    /** The invoice ids the payments of a page name without naming an appointment. */
    static Set<String> invoicesNamed(JsonNode payments) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode item : payments) {
            JsonNode appointment = item.get("appointment_id");
            JsonNode invoice = item.get("invoice_id");
            boolean noAppointment = appointment == null || appointment.isNull() || "0".equals(appointment.asString(""))
                    || appointment.asString("").isBlank();
            if (noAppointment && invoice != null && invoice.isValueNode() && invoice.asString("").trim().matches("\\d{1,19}")) {
                ids.add(invoice.asString().trim());
            }
        }
        return ids;
    }

    void map(String stream, JsonNode data, StagedPage page) {
        for (JsonNode item : data) {
            page.read(1);
            String sourceId = item.path("id").isValueNode() ? item.path("id").asString() : null;
            try {
                switch (stream) {
                    case "appointments" -> appointment(item, page);
                    case "payments" -> page.payments.add(payment(item));
                    case "invoices" -> invoice(item, page);
                    default -> throw new IllegalArgumentException("Unknown Renovatio stream " + stream);
                }
                if (sourceId != null) {
                    page.mapped.add(sourceId.trim());
                }
            } catch (MappingException e) {
                page.rejected.add(StagedPage.Rejected.of(sourceId, item, e));
            }
        }
    }

    private void appointment(JsonNode item, StagedPage page) {
        String id = id(item, "id");
        Instant at = RenovatioDates.parse(text(item, "time_start"), zone, "time_start");
        Instant changedAt = item.hasNonNull("date_updated")
                ? RenovatioDates.parse(text(item, "date_updated"), zone, "date_updated") : seenAt;
        SaleStatus status = switch (String.valueOf(text(item, "status"))) {
            case "completed" -> SaleStatus.COMPLETED;
            case "upcoming" -> SaleStatus.PENDING;
            case "refused" -> SaleStatus.VOID;
            default -> throw new MappingException("status is not one Renovatio defines");
        };
        long kopecks = 0;
        JsonNode services = item.path("services");
        if (!services.isMissingNode() && !services.isNull() && !services.isArray()) {
            throw new MappingException("services is not a list");
        }
        for (JsonNode service : services) {
            kopecks += lineKopecks(service);
        }
        String patient = optionalId(item, "patient_id");
        String phone = PhoneNumbers.toE164(text(item, "patient_phone")).orElse(null);
        page.seen(changedAt);
        page.sales.add(new SaleRow(id, SaleKind.SALE, status, patient, phone, at, kopecks, changedAt));
        if (patient != null) {
            page.customers.add(new CustomerRow(patient, null, phone, false, changedAt));
        }
    }

    /**
     * An invoice for an appointment is that appointment's sale already; an invoice of its own (goods,
     * a certificate) is a sale by itself, kept as {@code invoice-<id>}: paid is completed, unpaid
     * pending, cancelled void. Every invoice's appointment (or none) is remembered, so that a payment
     * naming only its invoice finds its sale.
     */
    private void invoice(JsonNode item, StagedPage page) {
        String id = id(item, "id");
        Instant at = RenovatioDates.dateWithOrWithoutTime(text(item, "date"), zone, "date");
        long kopecks = amount(item.get("value"), "value");
        SaleStatus status = invoiceStatuses.status(item.get("status"));
        String appointment = optionalId(item, "appointment_id");
        invoiceLinks.put(id, appointment);
        if (appointment != null) {
            return;
        }
        page.sales.add(new SaleRow("invoice-" + id, SaleKind.SALE, status, optionalId(item, "patient_id"), null, at, kopecks, at));
    }

    /**
     * A payment names its sale: the appointment it pays, or when it names only an invoice, that invoice's
     * appointment, or the invoice's own sale {@code invoice-<id>} (also while the invoice is not read yet:
     * when it comes, a payment staged so is moved to the invoice's appointment). A negative value is money
     * returned: a refund of that sale.
     */
    private PaymentRow payment(JsonNode item) {
        String id = id(item, "id");
        Instant at = RenovatioDates.dateWithOrWithoutTime(text(item, "date"), zone, "date");
        long kopecks = amount(item.get("value"), "value");
        String sale = optionalId(item, "appointment_id");
        if (sale == null) {
            String invoice = optionalId(item, "invoice_id");
            if (invoice != null) {
                String appointment = knownInvoices.get(invoice);
                sale = appointment != null ? appointment : "invoice-" + invoice;
            }
        }
        return new PaymentRow(id, sale, optionalId(item, "patient_id"), null, at, kopecks, false, at);
    }

    private static long lineKopecks(JsonNode service) {
        BigDecimal price = decimal(service.get("price"), "services[].price");
        BigDecimal count = service.hasNonNull("count") ? decimal(service.get("count"), "services[].count") : BigDecimal.ONE;
        BigDecimal kopecks = price.multiply(count).movePointRight(2);
        if (kopecks.stripTrailingZeros().scale() > 0) {
            throw new MappingException("services[] price times count has fractions of a kopeck");
        }
        return kopecks.longValueExact();
    }

    private static long amount(JsonNode node, String field) {
        BigDecimal roubles = decimal(node, field);
        if (roubles.stripTrailingZeros().scale() > 2) {
            throw new MappingException(field + " has fractions of a kopeck");
        }
        return roubles.movePointRight(2).longValueExact();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new MappingException(field + " is missing");
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        try {
            return new BigDecimal(node.asString().trim());
        } catch (NumberFormatException e) {
            throw new MappingException(field + " is not an amount");
        }
    }

    private static String id(JsonNode item, String field) {
        String id = optionalId(item, field);
        if (id == null) {
            throw new MappingException(field + " is missing");
        }
        return id;
    }

    private static String optionalId(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asString().isBlank() || "0".equals(value.asString())) {
            return null;
        }
        String text = value.asString().trim();
        if (!text.chars().allMatch(Character::isDigit)) {
            throw new MappingException(field + " is not a Renovatio id");
        }
        return text;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
