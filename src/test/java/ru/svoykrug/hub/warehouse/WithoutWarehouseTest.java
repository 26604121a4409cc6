package ru.svoykrug.hub.warehouse;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** With HUB_CLICKHOUSE_URL unset: the night's export does nothing at all, and the analytics API says there is no warehouse. */
class WithoutWarehouseTest {

    private final WarehouseProperties unset = new WarehouseProperties("", "default", "", "default", 1 << 20, 30);
    private final Warehouse warehouse = new Warehouse(unset, JsonMapper.builder().build());

    @Test
    void theExportStepDoesNothing() {
        JdbcTemplate postgres = mock(JdbcTemplate.class);
        NightAggregates aggregates = new NightAggregates(warehouse);
        SegmentAggregates segments = new SegmentAggregates(warehouse);
        RiskAggregates risks = new RiskAggregates(warehouse);
        NightExport export = new NightExport(warehouse, new WarehouseMigrations(warehouse, aggregates, segments, risks), null,
                ConsentGate.EVERYONE_UNTIL_CONSENT_EXISTS, postgres, mock(DataSource.class), unset, aggregates, segments, risks);

        assertThat(export.export(LocalDate.of(2026, 11, 25))).isEqualTo(new NightExport.Exported(0, 0));
        verifyNoInteractions(postgres);
    }

    @Test
    void theAnalyticsApiSaysThereIsNoWarehouse() throws Exception {
        MockMvc api = MockMvcBuilders.standaloneSetup(new AnalyticsController(new AnalyticsQueries(warehouse),
                new MedicalConnections(mock(JdbcTemplate.class)), mock(ru.svoykrug.hub.connections.ConnectionRepository.class),
                Clock.systemUTC())).build();

        api.perform(get("/api/v1/ops/analytics/status"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.configured").value(false));
        api.perform(get("/api/v1/ops/analytics/segments").param("from", "2026-11-01").param("to", "2026-11-25"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.title").value("No warehouse"));
    }
}
