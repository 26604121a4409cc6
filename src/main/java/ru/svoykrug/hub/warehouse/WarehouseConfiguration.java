package ru.svoykrug.hub.warehouse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The warehouse's client (configured or not: {@link Warehouse#configured()}); who it leaves out is the {@link ConsentGate} bean of {@code privacy}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WarehouseProperties.class)
class WarehouseConfiguration {

    @Bean(destroyMethod = "close")
    Warehouse warehouse(WarehouseProperties properties, JsonMapper json) {
        return new Warehouse(properties, json);
    }
}
