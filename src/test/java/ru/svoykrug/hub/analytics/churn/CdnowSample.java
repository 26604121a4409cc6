package ru.svoykrug.hub.analytics.churn;

import ru.svoykrug.hub.analytics.CdnowFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The CDNOW sample (test resources {@code cdnow/}, see its README), read as the published results read it. */
final class CdnowSample {

    static final Path FILE = CdnowFiles.SAMPLE;
    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    /** The holdout runs from 1997-10-01 to 1998-06-30: 273 days. */
    static final double HOLDOUT_WEEKS = 39;

    private static Map<Integer, List<Purchase>> logs;

    private CdnowSample() {
    }

    /** Purchase logs by sample id (1..2357), in file order. */
    static synchronized Map<Integer, List<Purchase>> purchasesBySampleId() {
        if (logs == null) {
            logs = read();
        }
        return logs;
    }

    /** Calibration summaries by sample id. */
    static Map<Integer, CustomerSummary> summaries() {
        Map<Integer, CustomerSummary> summaries = new TreeMap<>();
        purchasesBySampleId().forEach((id, log) -> summaries.put(id, CustomerSummary.of(log, CALIBRATION_END)));
        return summaries;
    }

    private static Map<Integer, List<Purchase>> read() {
        DateTimeFormatter day = DateTimeFormatter.BASIC_ISO_DATE;
        Map<Integer, List<Purchase>> byId = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(FILE)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                byId.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>())
                        .add(new Purchase(LocalDate.parse(f[2], day), new BigDecimal(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byId;
    }
}
