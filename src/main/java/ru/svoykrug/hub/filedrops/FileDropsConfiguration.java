package ru.svoykrug.hub.filedrops;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.metadata.JdbcMetadataStore;

import javax.sql.DataSource;

/** Spring Integration's JDBC metadata store (INT_METADATA_STORE, V26): which dropped files were taken, for every node. */
@Configuration(proxyBeanMethods = false)
class FileDropsConfiguration {

    @Bean
    JdbcMetadataStore fileDropsSeen(DataSource dataSource) {
        return new JdbcMetadataStore(dataSource);
    }
}
