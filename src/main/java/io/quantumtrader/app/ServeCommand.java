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
        description = {"Run the pipeline as a service: /actuator/health, /actuator/prometheus on port 8080 (server.port).",
                "Spring Boot settings follow as --name=value, e.g. --server.port=9090 or --quantum-trader.namespace=qt "
                        + "(docs/OPERATIONS.md)."})
final class ServeCommand implements Callable<Integer> {

    private static volatile boolean started;

    /** Spring Boot arguments, e.g. {@code --server.port=9090}. */
    @Unmatched
    List<String> springArgs = new java.util.ArrayList<>();

    /** @return true once the service is up (the JVM then runs until the service is stopped) */
    static boolean started() {
        return started;
    }

    /** A Spring Boot setting on the command line: {@code --name=value}, or Spring Boot's {@code --debug}/{@code --trace}. */
    private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile("--[A-Za-z][A-Za-z0-9._\\[\\]-]*=.*|--debug|--trace");

    /**
     * @throws CliException (exit code 2) for an argument that is not a {@code --name=value} setting: Spring Boot took
     *                      {@code --port 9191} as a setting "port" without value and the word "9191", and served on
     *                      8080 without a word (review 2026-12-07)
     */
    static void refuseNonSettings(List<String> args) {
        for (String arg : args) {
            if (!SETTING.matcher(arg).matches()) {
                throw new CliException(CliException.INPUT, "serve: '" + Secrets.redact(arg) + "' is not a setting of the form --name=value",
                        "e.g. --server.port=9090 (see 'quantum-trader serve --help')", null);
            }
            if (arg.startsWith("--port=")) {
                throw new CliException(CliException.INPUT, "serve: there is no setting 'port'",
                        "the HTTP port is --server.port=" + arg.substring("--port=".length()), null);
            }
        }
    }

    @Override
    public Integer call() {
        refuseNonSettings(springArgs);
        SpringApplication app = new SpringApplication(QuantumTraderApplication.class);
        if (!Verbosity.stackTraces()) {
            // the CLI reports a failed start in two lines (CliErrorHandler); Spring Boot's report repeats it in ~50
            Map<String, Object> quiet = new HashMap<>();
            quiet.put("logging.level.org.springframework.boot.SpringApplication", "OFF");
            quiet.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "OFF");
            quiet.put("logging.level.org.springframework.boot.web.server.reactive.context", "ERROR"); // "cancelling refresh attempt"
            app.setDefaultProperties(quiet);
        }
        var context = app.run(springArgs.toArray(String[]::new));
        started = true;
        // one line to say what runs where: the log is WARN by default, so it said nothing at all (found in review,
        // 2026-12-05: `kubectl logs` could not confirm the Redis, namespace or instance)
        var runtime = context.getBean(StreamsRuntimeLifecycle.class).runtime();
        Integer port = context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext web
                ? web.getWebServer().getPort() : null;
        System.out.println("serving: redis " + Secrets.redact(context.getBean(RedisConnection.class).description())
                + ", namespace '" + runtime.config().namespace() + "', instance '" + runtime.config().instanceId() + "'"
                + (port == null ? "" : ", http port " + port) + ", " + runtime.tasks().size() + " task(s) in the topology"
                + ", risk rules " + context.getBean(RiskRulesFile.class).source());
        return 0;
    }
}
