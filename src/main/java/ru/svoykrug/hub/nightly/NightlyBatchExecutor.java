package ru.svoykrug.hub.nightly;

import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

/**
 * Nights run on their own thread, so the API and the scheduler hand one over and go on. The night's
 * lock is released when that thread is done: after Spring Batch has stored how the night ended, so the
 * next starter never finds a finished night still marked running.
 */
@Configuration(proxyBeanMethods = false)
class NightlyBatchExecutor {

    @Bean
    @BatchTaskExecutor
    TaskExecutor nightlyExecutor(NightLock lock) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("nightly-");
        executor.setConcurrencyLimit(2);
        executor.setTaskDecorator(night -> () -> {
            try {
                night.run();
            } finally {
                lock.release();
            }
        });
        return executor;
    }
}
