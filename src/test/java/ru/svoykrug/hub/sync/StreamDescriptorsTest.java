package ru.svoykrug.hub.sync;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream descriptors in routes/ bind to their typed form, and a misspelt key stops the start. */
class StreamDescriptorsTest {

    @Test
    void everySystemsDescriptorBinds() {
        for (String system : List.of("yclients", "onec", "renovatio", "amocrm", "iiko", "bitrix24")) {
            StreamDescriptor d = StreamDescriptors.load(system);
            assertThat(d.system()).isEqualTo(system);
            assertThat(d.requestsPerSecond()).isPositive();
            assertThat(d.streamNames()).isNotEmpty();
            d.streamNames().forEach(stream -> assertThat(d.recordSelector(stream)).isNotBlank());
        }
    }

    @Test
    void aStreamSaysOnlyWhatDiffers() {
        StreamDescriptor yclients = StreamDescriptors.load("yclients");
        assertThat(yclients.streamNames()).containsExactly("clients", "records", "transactions");
        assertThat(yclients.stream("records").path()).isEqualTo("records/{companyId}");
        assertThat(yclients.stream("records").query()).isEqualTo(Map.of("with_deleted", "1"));
        assertThat(yclients.paginator().pageSize()).isEqualTo(200);
        assertThat(yclients.requestsPerSecond()).isEqualTo(5);
        assertThat(yclients.requestsPerMinute()).as("\"200 a minute or 5 a second\"").isEqualTo(200);
        assertThat(yclients.cursor().overlapMinutes()).isEqualTo(10);
        assertThat(yclients.requester().okStatusCodeRange()).isEqualTo("200-299");

        StreamDescriptor amocrm = StreamDescriptors.load("amocrm");
        assertThat(amocrm.recordSelector("contacts")).isEqualTo("_embedded.contacts");
        assertThat(amocrm.recordSelector("deleted_leads")).isEqualTo("_embedded.leads");
        assertThat(amocrm.cursor().field()).isEqualTo("filter[updated_at][from]");
    }

    @Test
    void aMisspeltKeyFailsInsteadOfFallingBackToADefault() {
        assertThatThrownBy(() -> StreamDescriptors.load("misspelt")).hasStackTraceContaining("pagesise");
    }

    @Test
    void aSystemWithoutDescriptorIsNamed() {
        // (a name no system will take: this test named bitrix24 until Bitrix24 got its descriptor)
        assertThatThrownBy(() -> StreamDescriptors.load("no-such-system")).hasMessageContaining("routes/no-such-system.yaml");
    }
}
