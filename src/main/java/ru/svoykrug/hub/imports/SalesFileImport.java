package ru.svoykrug.hub.imports;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import ru.svoykrug.hub.connections.ConnectionRepository;
import ru.svoykrug.hub.connections.PartnerConnection;
import ru.svoykrug.hub.connections.UnknownConnectionException;
import ru.svoykrug.hub.staging.DeadLetters;
import ru.svoykrug.hub.staging.StagedPage;
import ru.svoykrug.hub.staging.StagingWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A partner's sales history from a CSV file ({@code customer_ref,phone,occurred_at,amount}, header
 * required) into staging, like synced sales. A row gets a source id from its own content and its rank
 * among identical rows, so importing the same file again changes nothing. Bad rows are reported with
 * their line numbers and kept in the dead letter table; the good ones land.
 */
@Service
public class SalesFileImport {

    private static final int CHUNK = 5_000;

    private final ConnectionRepository connections;
    private final StagingWriter writer;
    private final TransactionTemplate tx;
    private final DeadLetters deadLetters;

    public SalesFileImport(ConnectionRepository connections, StagingWriter writer, TransactionTemplate tx, DeadLetters deadLetters) {
        this.connections = connections;
        this.writer = writer;
        this.tx = tx;
        this.deadLetters = deadLetters;
    }

    public ImportReport importFile(String connectionId, Path file) throws IOException {
        PartnerConnection connection = connections.find(connectionId).orElseThrow(() -> new UnknownConnectionException(connectionId));
        String stream = "import:" + file.getFileName();
        SalesCsv csv = new SalesCsv(connection.zone());
        Map<String, Integer> seen = new HashMap<>();
        List<ImportReport.BadRow> bad = new ArrayList<>();
        long rows = 0, written = 0;
        StagedPage page = new StagedPage();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: a header line customer_ref,phone,occurred_at,amount is required");
            }
            csv.header(header.startsWith("\uFEFF") ? header.substring(1) : header);
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                rows++;
                try {
                    SalesCsv.Row row = csv.parse(line);
                    int rank = seen.merge(row.contentKey(), 1, Integer::sum);
                    row.stage(page, rank);
                } catch (SalesCsv.BadRowException e) {
                    bad.add(new ImportReport.BadRow(lineNumber, e.fields, e.getMessage()));
                }
                if (page.sales.size() >= CHUNK) {
                    written += flush(connection, page);
                    page = new StagedPage();
                }
            }
        }
        written += flush(connection, page);
        keepBadRows(connection, stream, bad);
        return new ImportReport(rows, rows - bad.size(), written, bad);
    }

    private long flush(PartnerConnection connection, StagedPage page) {
        if (page.sales.isEmpty() && page.customers.isEmpty()) {
            return 0;
        }
        return tx.execute(status -> writer.upsert(connection, page));
    }

    /**
     * Bad rows go to the dead letter table like a sync's rejected records: one row per line of the file,
     * however often it is imported, with the failing columns and the reason but none of the line's values.
     */
    private void keepBadRows(PartnerConnection connection, String stream, List<ImportReport.BadRow> bad) {
        List<StagedPage.Rejected> rejected = bad.stream()
                .map(row -> new StagedPage.Rejected("line " + row.line(), "line " + row.line(), row.fields(), row.reason()))
                .toList();
        for (int from = 0; from < rejected.size(); from += CHUNK) {
            List<StagedPage.Rejected> chunk = rejected.subList(from, Math.min(rejected.size(), from + CHUNK));
            tx.executeWithoutResult(status -> deadLetters.keep(connection.id(), null, stream, chunk));
        }
    }
}
