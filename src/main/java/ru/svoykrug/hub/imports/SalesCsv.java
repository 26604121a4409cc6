package ru.svoykrug.hub.imports;

import ru.svoykrug.hub.customers.PhoneNumbers;
import ru.svoykrug.hub.staging.StagedPage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** The sales CSV format: its header, its rows, and what a row becomes in staging. */
final class SalesCsv {

    static final List<String> COLUMNS = List.of("customer_ref", "phone", "occurred_at", "amount");
    private static final Pattern ROUBLES = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");

    private final ZoneId zone;
    private int[] index;
    private int width;

    SalesCsv(ZoneId zone) {
        this.zone = zone;
    }

    void header(String line) {
        List<String> names = split(line).stream().map(s -> s.trim().toLowerCase()).toList();
        width = names.size();
        index = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            index[i] = names.indexOf(COLUMNS.get(i));
            if (index[i] < 0) {
                throw new IllegalArgumentException("The header must name the columns " + String.join(",", COLUMNS)
                        + "; it is: " + line);
            }
        }
    }

    Row parse(String line) {
        List<String> cells = split(line);
        if (cells.size() != width) {
            throw new BadRowException("columns", "has " + cells.size() + " columns, the header has " + width
                    + " (a comma inside an unquoted value?)");
        }
        String ref = cell(cells, 0);
        String rawPhone = cell(cells, 1);
        String phone = null;
        if (!rawPhone.isEmpty()) {
            phone = PhoneNumbers.toE164(rawPhone).orElseThrow(() -> new BadRowException("phone", "phone is not a phone number"));
        }
        if (ref.isEmpty() && phone == null) {
            throw new BadRowException("customer_ref,phone", "neither customer_ref nor phone is given");
        }
        Instant at = instant(cell(cells, 2));
        String amountText = cell(cells, 3);
        if (!ROUBLES.matcher(amountText).matches()) {
            throw new BadRowException("amount", "amount is not roubles with a dot (as 1500.50)");
        }
        long kopecks = new BigDecimal(amountText).movePointRight(2).longValueExact();
        return new Row(ref.isEmpty() ? null : ref, phone, at, kopecks);
    }

    private Instant instant(String text) {
        if (text.isEmpty()) {
            throw new BadRowException("occurred_at", "occurred_at is empty");
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRowException("occurred_at", "occurred_at is not an ISO date or date-time");
        }
    }

    private String cell(List<String> cells, int column) {
        return cells.get(index[column]).trim();
    }

    /** Splits a CSV line: commas, with double quotes around a cell that holds one. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    record Row(String customerRef, String phone, Instant occurredAt, long kopecks) {

        String contentKey() {
            return customerRef + "|" + phone + "|" + occurredAt + "|" + kopecks;
        }

        void stage(StagedPage page, int rank) {
            String id = "csv:" + sha256(contentKey()).substring(0, 24) + "#" + rank;
            if (customerRef != null) {
                page.customers.add(new StagedPage.CustomerRow(customerRef, null, phone, false, occurredAt));
            }
            page.sales.add(new StagedPage.SaleRow(id, StagedPage.SaleKind.SALE, StagedPage.SaleStatus.COMPLETED, customerRef,
                    phone, occurredAt, kopecks, occurredAt));
        }

        private static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A bad row: the columns that failed and why, never a cell's value (a phone, a customer's reference). */
    static final class BadRowException extends RuntimeException {
        final String fields;

        BadRowException(String fields, String reason) {
            super(reason, null, false, false);
            this.fields = fields;
        }
    }
}
