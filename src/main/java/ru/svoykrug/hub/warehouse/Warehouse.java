package ru.svoykrug.hub.warehouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The ClickHouse server, through its Java client (client-v2, the one clickhouse-jdbc is built on): DDL and
 * ALTERs, TabSeparated inserts, and reads as JSONEachRow. Two settings are not matters of taste, they make
 * the client work with ClickHouse 18.16 (see the README): responses uncompressed (18.16 drops small
 * compressed ones, a query then "returns" nothing), and the format named in the SQL (18.16 ignores the
 * client's format header). The rows it is sent carry no name, phone or title, so a server error that
 * quotes a row cannot leak one.
 */
public final class Warehouse implements AutoCloseable {

    private final WarehouseProperties properties;
    private final Client client;
    private final JsonMapper json;

    Warehouse(WarehouseProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.client = !properties.configured() ? null : new Client.Builder()
                .addEndpoint(properties.url())
                .setUsername(properties.user())
                .setPassword(properties.password())
                .setDefaultDatabase(properties.database())
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(10, ChronoUnit.SECONDS)
                .setSocketTimeout(10, ChronoUnit.MINUTES)
                .build();
    }

    /** False with {@code hub.warehouse.url} unset: the hub runs without a warehouse. */
    public boolean configured() {
        return client != null;
    }

    String database() {
        return properties.database();
    }

    /** Runs one statement (ClickHouse takes one per request). */
    void execute(String sql) {
        close(await(() -> required().execute(sql), sql));
    }

    /**
     * Inserts the TabSeparated rows (in the table's column order) that {@code rows} writes, streamed into the
     * request's body as they are written: the server parses them while the next are produced. Returns once
     * the server has them all. A streamed request cannot be sent again, so the client's retry fails it.
     */
    void insert(String table, RowSource rows) {
        DataStreamWriter writer = new DataStreamWriter() {
            @Override
            public void onOutput(OutputStream out) throws IOException {
                rows.writeTo(out);
            }

            @Override
            public void onRetry() throws IOException {
                throw new IOException("a streamed insert cannot be sent again");
            }
        };
        close(await(() -> required().insert(table, writer, ClickHouseFormat.TabSeparated, new InsertSettings()), "INSERT INTO " + table));
    }

    /** Writes an insert's rows into its request. */
    @FunctionalInterface
    interface RowSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The rows of a SELECT, one JSON object each (64-bit integers as numbers). */
    public List<JsonNode> query(String select) {
        Client client = required();
        String sql = select + "\nFORMAT JSONEachRow";
        QuerySettings settings = new QuerySettings()
                .serverSetting("max_execution_time", Integer.toString(properties.queryTimeoutSeconds()))
                .serverSetting("output_format_json_quote_64bit_integers", "0");
        try (QueryResponse response = await(() -> client.query(sql, settings), select);
             BufferedReader lines = new BufferedReader(new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            List<JsonNode> rows = new ArrayList<>();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    rows.add(json.readTree(line));
                }
            }
            return rows;
        } catch (WarehouseException e) {
            throw e;
        } catch (Exception e) {
            throw new WarehouseException("Cannot read the warehouse's answer to: " + firstLine(select), e);
        }
    }

    /** The {@code business_date} values a SELECT returns, in order. */
    TreeSet<LocalDate> businessDates(String select) {
        TreeSet<LocalDate> dates = new TreeSet<>();
        query(select).forEach(row -> dates.add(LocalDate.parse(row.path("business_date").asString())));
        return dates;
    }

    private Client required() {
        if (client == null) {
            throw new WarehouseNotConfiguredException();
        }
        return client;
    }

    private <T> T await(Supplier<? extends Future<T>> call, String what) {
        try {
            return call.get().get(properties.queryTimeoutSeconds() + 600L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("Interrupted at: " + firstLine(what), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new WarehouseException("ClickHouse failed at: " + firstLine(what) + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new WarehouseException("ClickHouse did not answer in time: " + firstLine(what), e);
        } catch (WarehouseNotConfiguredException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WarehouseException("ClickHouse failed at: " + firstLine(what) + ": " + e.getMessage(), e);
        }
    }

    private static void close(AutoCloseable response) {
        try {
            response.close();
        } catch (Exception e) {
            // the statement succeeded; a response that cannot be closed leaves nothing behind worth failing for
        }
    }

    private static String firstLine(String sql) {
        String line = sql.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + " ..." : line;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    /** The warehouse could not do what it was asked: the export step fails (and restarts) on it. */
    public static class WarehouseException extends RuntimeException {
        WarehouseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
