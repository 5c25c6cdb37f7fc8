package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.StreamsHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Actuator health of the streams: consumer lag, oldest pending entry, live and stale consumers of every group on the
 * catalog's streams (see {@link StreamsHealth}); part of the readiness group, so an instance that cannot keep up stops
 * receiving traffic while the consumer-group problem shows on {@code /actuator/health}. When Redis does not answer
 * within {@link #TIMEOUT} the status is DOWN with the reason (never an HTTP 500), and it comes back by itself.
 */
public final class StreamsHealthIndicator implements ReactiveHealthIndicator {

    /** How long a health check waits for Redis before reporting DOWN. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final StreamsHealth health;

    public StreamsHealthIndicator(StreamsHealth health) {
        this.health = health;
    }

    @Override
    public Mono<Health> health() {
        return health.check()
                .timeout(TIMEOUT)
                .map(report -> {
                    Health.Builder b = Health.status(switch (report.status()) {
                        case UP -> Status.UP;
                        case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
                        case DOWN -> Status.DOWN;
                    });
                    b.withDetail("problems", report.problems());
                    b.withDetail("observations", report.observations());
                    b.withDetail("sources", report.sources());
                    return b.build();
                })
                .onErrorResume(e -> Mono.just(Health.down()
                        .withDetail("problems", java.util.List.of("Redis did not answer the health check: " + reason(e)))
                        .build()));
    }

    private static String reason(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no reply within " + TIMEOUT.toSeconds() + " s";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        // the connection's own message names host and port, never the URL with its password
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
