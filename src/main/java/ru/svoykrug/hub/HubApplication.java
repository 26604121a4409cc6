package ru.svoykrug.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Svoy Krug hub as a Spring application. The jar starts at {@code launch.HubLauncher}, which also
 * runs the one-off commands; this main serves, for an IDE.
 */
@SpringBootApplication
public class HubApplication {

    public static void main(String[] args) {
        SpringApplication.run(HubApplication.class, args);
    }
}
