package ru.svoykrug.hub.warehouse;

/** Asked for the warehouse while {@code HUB_CLICKHOUSE_URL} is unset. */
public class WarehouseNotConfiguredException extends RuntimeException {

    WarehouseNotConfiguredException() {
        super("No warehouse: set HUB_CLICKHOUSE_URL (hub.warehouse.url) to a ClickHouse server");
    }
}
