package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.StreamsHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;

/**
 * Actuator health of the streams: consumer lag, oldest pending entry, live and stale consumers of every source (see
 * {@link StreamsHealth}); part of the readiness group, so an instance that cannot keep up stops receiving traffic
 * while the consumer-group problem shows on {@code /actuator/health}.
 */
public final class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsHealth health;

    public StreamsHealthIndicator(StreamsHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        StreamsHealth.Report report = health.check().block(Duration.ofSeconds(5));
        if (report == null) {
            return Health.unknown().build();
        }
        Health.Builder b = Health.status(switch (report.status()) {
            case UP -> Status.UP;
            case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
            case DOWN -> Status.DOWN;
        });
        b.withDetail("problems", report.problems());
        b.withDetail("sources", report.sources());
        return b.build();
    }
}
