package ru.svoykrug.hub.nightly;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import ru.svoykrug.hub.analytics.churn.ChurnSettings;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** hub.nightly.* binds as the @Value settings it replaced did: the same names and defaults. */
class NightlyPropertiesTest {

    @Test
    void defaultsAreTheOnesTheNightHadBefore() {
        NightlyProperties night = bind(Map.of(), "hub.nightly", NightlyProperties.class);
        assertThat(night.zone()).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(night.schedule()).isEqualTo("0 0 3 * * ?");
        assertThat(night.programmeStart()).isNull();
        assertThat(night.workMem()).isEqualTo("256MB");
        assertThat(night.maintenanceWorkMem()).isEqualTo("512MB");
        assertThat(night.afterFirstSync()).isFalse();

        ChurnSettings churn = bind(Map.of(), "hub.nightly.churn", ChurnSettings.class);
        assertThat(churn.fitSample()).isEqualTo(100_000);
        assertThat(churn.fitSeconds()).isEqualTo(60);
    }

    @Test
    void settingsBindByTheirKebabCaseNames() {
        Map<String, String> settings = Map.of(
                "hub.nightly.zone", "Asia/Yekaterinburg",
                "hub.nightly.schedule", "0 30 4 * * ?",
                "hub.nightly.programme-start", "2024-03-01",
                "hub.nightly.work-mem", "64MB",
                "hub.nightly.maintenance-work-mem", "1GB",
                "hub.nightly.after-first-sync", "true",
                "hub.nightly.churn.fit-sample", "5000",
                "hub.nightly.churn.fit-seconds", "7");
        NightlyProperties night = bind(settings, "hub.nightly", NightlyProperties.class);
        assertThat(night).isEqualTo(new NightlyProperties(ZoneId.of("Asia/Yekaterinburg"), "0 30 4 * * ?",
                LocalDate.of(2024, 3, 1), "64MB", "1GB", true));
        assertThat(bind(settings, "hub.nightly.churn", ChurnSettings.class)).isEqualTo(new ChurnSettings(5000, 7));
    }

    @Test
    void anEmptyProgrammeStartIsNone() {
        assertThat(bind(Map.of("hub.nightly.programme-start", ""), "hub.nightly", NightlyProperties.class).programmeStart()).isNull();
    }

    private static <T> T bind(Map<String, String> settings, String prefix, Class<T> type) {
        Binder binder = new Binder(List.of(new MapConfigurationPropertySource(settings)), null,
                ApplicationConversionService.getSharedInstance());
        return binder.bindOrCreate(prefix, Bindable.of(type));
    }
}
