package ru.svoykrug.hub.privacy;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.warehouse.ConsentGate;

/** The warehouse leaves out whom {@code privacy.unconsented} names (a withdrawn consent, or none under a withheld default). */
@Component
class ConsentGateOfRecords implements ConsentGate {

    @Override
    public void listExcluded(JdbcOperations jdbc) {
        jdbc.update("INSERT INTO export_excluded (customer_id) SELECT DISTINCT customer_id FROM privacy.unconsented");
    }
}
