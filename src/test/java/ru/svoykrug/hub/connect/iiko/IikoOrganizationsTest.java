package ru.svoykrug.hub.connect.iiko;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** organizationIds as partners.yml can state it: a YAML list or a comma-separated string. */
class IikoOrganizationsTest {

    @Test
    void aYamlListInTheSettingsNamesTheOrganizationsInItsOrder() throws Exception {
        // what Spring makes of a YAML list in a connection's settings in partners.yml
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("partners", new ByteArrayResource("""
                settings:
                  baseUrl: https://api-ru.iiko.services
                  organizationIds: ["b-org", "a-org"]
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8))).forEach(environment.getPropertySources()::addFirst);
        Map<String, String> settings = Binder.get(environment).bind("settings", Bindable.mapOf(String.class, String.class)).get();

        assertThat(IikoOrganizations.configured(settings)).as(settings.toString()).containsExactly("b-org", "a-org");
    }

    @Test
    void aCommaSeparatedStringAndTheOlderSingleIdCountToo() {
        assertThat(IikoOrganizations.configured(Map.of("organizationIds", " x , y,,"))).containsExactly("x", "y");
        assertThat(IikoOrganizations.configured(Map.of("organizationId", "z"))).containsExactly("z");
        assertThat(IikoOrganizations.configured(Map.of("baseUrl", "u"))).as("none named: all the login sees").isEmpty();
    }
}
