package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.GroupState;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.TaskState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Actuator health of the streams: consumer lag, oldest pending entry, live and stale consumers of every source (see
 * {@link StreamsHealth}) and this instance's view of the group (members, assignment, its tasks' states); DOWN when
 * Redis does not answer within {@link #TIMEOUT}. Part of the readiness group, so an instance that cannot keep up stops receiving traffic
 * while the consumer-group problem shows on {@code /actuator/health}.
 */
public final class StreamsHealthIndicator implements HealthIndicator {

    /** How long a health check may take before the indicator answers DOWN. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final StreamsHealth health;
    private final Supplier<GroupState> group;

    public StreamsHealthIndicator(StreamsHealth health) {
        this(health, null);
    }

    /** @param group this instance's view of the group of instances (members, assignment, task states), or null */
    public StreamsHealthIndicator(StreamsHealth health, Supplier<GroupState> group) {
        this.health = health;
        this.group = group;
    }

    @Override
    public Health health() {
        StreamsHealth.Report report;
        try {
            // a Redis that does not answer is DOWN (not an HTTP 500 from a blocking timeout), and UP again by itself
            report = health.check().timeout(TIMEOUT).block();
        } catch (RuntimeException e) {
            Health.Builder down = Health.down().withDetail("error", e instanceof IllegalStateException
                    || e.getCause() instanceof java.util.concurrent.TimeoutException
                    ? "Redis did not answer within " + TIMEOUT.toSeconds() + " s"
                    : "cannot read the consumer groups from Redis: " + e.getMessage());
            addGroup(down);
            return down.build();
        }
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
        addGroup(b);
        return b.build();
    }

    private void addGroup(Health.Builder b) {
        if (group != null) {
            GroupState g = group.get();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("instance", g.instanceId());
            d.put("members", g.members());
            d.put("assignment", g.assignment());
            Map<String, String> tasks = new LinkedHashMap<>();
            g.tasks().forEach((id, state) -> {
                if (state != TaskState.UNASSIGNED) {
                    tasks.put(id, state.name());
                }
            });
            d.put("tasks", tasks);
            d.put("rebalances", g.rebalances());
            b.withDetail("group", d);
        }
    }
}
