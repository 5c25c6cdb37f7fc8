package io.quantumtrader.app;

import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** Runs the trading topology as a service with Actuator health and Prometheus metrics (the Kubernetes entry point). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the pipeline as a service: /actuator/health, /actuator/prometheus on port 8080 (server.port).")
final class ServeCommand implements Callable<Integer> {

    /** Spring Boot arguments, e.g. {@code --server.port=9090}. */
    @Unmatched
    List<String> springArgs = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        SpringApplication.run(QuantumTraderApplication.class, springArgs.toArray(String[]::new));
        return null;
    }
}
