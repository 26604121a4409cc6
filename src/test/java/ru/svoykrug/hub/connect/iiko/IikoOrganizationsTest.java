package ru.svoykrug.hub.connect.iiko;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** organizationIds as partners.yml can state it: a YAML list or a comma-separated string. */
class IikoOrganizationsTest {

    @Test
    void aYamlListInTheSettingsNamesTheOrganizationsInItsOrder() {
        // what Spring makes of `settings: {organizationIds: [b-org, a-org]}` in partners.yml
        Map<String, String> settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "settings.baseUrl", "https://api-ru.iiko.services",
                "settings.organizationIds[0]", "b-org",
                "settings.organizationIds[1]", "a-org")))
                .bind("settings", Bindable.mapOf(String.class, String.class)).get();

        assertThat(IikoOrganizations.configured(settings)).containsExactly("b-org", "a-org");
    }

    @Test
    void aCommaSeparatedStringAndTheOlderSingleIdCountToo() {
        assertThat(IikoOrganizations.configured(Map.of("organizationIds", " x , y,,"))).containsExactly("x", "y");
        assertThat(IikoOrganizations.configured(Map.of("organizationId", "z"))).containsExactly("z");
        assertThat(IikoOrganizations.configured(Map.of("baseUrl", "u"))).as("none named: all the login sees").isEmpty();
    }
}
