package ru.svoykrug.hub.warehouse;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.warehouse.*}: the ClickHouse server the nights export to. Without a URL the hub runs without a
 * warehouse: the night's export step does nothing and the analytics API says there is none.
 *
 * @param url            the server's HTTP address ({@code HUB_CLICKHOUSE_URL}, e.g. {@code http://localhost:8123}); empty: none
 * @param user           its user ({@code HUB_CLICKHOUSE_USER})
 * @param password       its password ({@code HUB_CLICKHOUSE_PASSWORD})
 * @param database       the database holding the warehouse's tables ({@code HUB_CLICKHOUSE_DATABASE}); it must exist
 * @param chunkBytes     an export streams a table's rows in requests of about this many bytes (a request's end
 *                       makes ClickHouse write a part smaller than its million-row insert block)
 * @param queryTimeoutSeconds the server stops an analytics query after this long
 */
@ConfigurationProperties("hub.warehouse")
public record WarehouseProperties(@DefaultValue("") String url, @DefaultValue("default") String user,
                                  @DefaultValue("") String password, @DefaultValue("default") String database,
                                  @DefaultValue("268435456") int chunkBytes, @DefaultValue("30") int queryTimeoutSeconds) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
