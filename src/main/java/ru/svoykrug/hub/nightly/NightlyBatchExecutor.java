package ru.svoykrug.hub.nightly;

import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

/** Nights run on their own thread, so the API and the scheduler hand one over and go on. */
@Configuration(proxyBeanMethods = false)
class NightlyBatchExecutor {

    @Bean
    @BatchTaskExecutor
    TaskExecutor nightlyExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("nightly-");
        executor.setConcurrencyLimit(2);
        return executor;
    }
}
