package io.quantumtrader.app;

import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the trading topology as a service with Actuator health and Prometheus metrics (the Kubernetes entry point).
 * When it cannot start (Redis unreachable or refusing the password, a malformed {@code REDIS_URL}, the port in use) it
 * reports the cause in one or two lines and the process exits non-zero; Spring Boot's own failure report and stack
 * trace are shown only with {@code --verbose}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the pipeline as a service: /actuator/health, /actuator/prometheus on port 8080 (server.port).")
final class ServeCommand implements Callable<Integer> {

    private static volatile boolean started;

    /** Spring Boot arguments, e.g. {@code --server.port=9090}. */
    @Unmatched
    List<String> springArgs = new java.util.ArrayList<>();

    /** @return true once the service is up (the JVM then runs until the service is stopped) */
    static boolean started() {
        return started;
    }

    @Override
    public Integer call() {
        SpringApplication app = new SpringApplication(QuantumTraderApplication.class);
        if (!Verbosity.stackTraces()) {
            // the CLI reports a failed start in two lines (CliErrorHandler); Spring Boot's report repeats it in ~50
            Map<String, Object> quiet = new HashMap<>();
            quiet.put("logging.level.org.springframework.boot.SpringApplication", "OFF");
            quiet.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "OFF");
            quiet.put("logging.level.org.springframework.boot.web.server.reactive.context", "ERROR"); // "cancelling refresh attempt"
            app.setDefaultProperties(quiet);
        }
        app.run(springArgs.toArray(String[]::new));
        started = true;
        return 0;
    }
}
