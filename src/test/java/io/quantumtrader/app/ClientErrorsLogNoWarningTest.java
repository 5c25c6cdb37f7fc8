package io.quantumtrader.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, HTTP surface): with the service's own logging (src/main/resources/logback.xml: WARN and above, the log an
 * operator reads and alerts on), a request for a path such as {@code /topology/assets/..%2f..%2fapplication.yml}
 * is answered 404 and also writes two WARN lines ({@code ResourceHandlerUtils: Path contains "../" ...}); any client
 * that can reach port 8080 (a scanner, a curious colleague) writes as many WARN lines as it sends requests, and
 * they look like the service's problems. Such a request is the client's error: it is answered, not logged as a warning.
 */
class ClientErrorsLogNoWarningTest {

    private final WebTestClient client = WebTestClient.bindToRouterFunction(new OperationsConfiguration()
            .liveTopologyRoutes(QuantumTraderTopology.build(), StreamsConfig.defaults(), new SimpleMeterRegistry())).build();

    @AfterEach
    void restoreTestLogging() throws Exception {
        configure("logback-test.xml");
    }

    @Test
    void aTraversalAttemptIsA404AndNotAWarning() throws Exception {
        LoggerContext context = configure("logback.xml");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.setContext(context);
        log.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(log);

        for (String path : List.of("/topology/assets/..%2f..%2fapplication.yml", "/topology/assets/%2e%2e/%2e%2e/logback.xml",
                "/topology/assets/file:/etc/passwd")) {
            client.get().uri(URI.create(path)).exchange().expectStatus().isNotFound();
        }
        List<String> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).toList();
        assertThat(warnings).as("WARN lines in the service's log for three 404s a client asked for").isEmpty();
    }

    private static LoggerContext configure(String resource) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(ClientErrorsLogNoWarningTest.class.getClassLoader().getResource(resource));
        return context;
    }
}
