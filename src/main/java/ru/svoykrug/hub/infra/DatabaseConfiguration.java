package ru.svoykrug.hub.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** The one data source: the PostgreSQL named by {@code HUB_DB_URL}, or else the embedded one. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubProperties.class)
class DatabaseConfiguration {

    /** Taken before anything in the data folder is touched; let go of last. */
    @Bean(destroyMethod = "close")
    DataFolderLock dataFolderLock(HubProperties hub) {
        return DataFolderLock.acquire(hub.dataDir());
    }

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(HubProperties hub, DataFolderLock lock) {
        return hub.embeddedDatabase()
                ? new EmbeddedDatabase(EmbeddedPostgresServer.start(hub.dataDir().resolve("postgres")))
                : new EmbeddedDatabase(null);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(HubProperties hub, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("hub");
        config.setMaximumPoolSize(20);
        if (embedded.server() != null) {
            config.setJdbcUrl(embedded.server().jdbcUrl());
            config.setUsername(embedded.server().user());
            config.setPassword(embedded.server().password());
        } else {
            config.setJdbcUrl(hub.db().url());
            config.setUsername(hub.db().user());
            config.setPassword(hub.db().password());
        }
        return new HikariDataSource(config);
    }

    /** Holder so that the data source depends on the server, and Spring stops the server after the pool. */
    record EmbeddedDatabase(EmbeddedPostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
