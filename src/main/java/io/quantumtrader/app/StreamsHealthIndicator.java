package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.GroupState;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.TaskState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Actuator health of the streams: consumer lag, oldest pending entry, live and stale consumers of every group on the
 * catalog's streams (see {@link StreamsHealth}), on {@code /actuator/health} for alerting and the heartbeat; not in the
 * readiness group ({@link RuntimeHealthIndicator}): it describes the whole group, not this instance. When Redis does not answer
 * within {@link #TIMEOUT} the status is DOWN with the reason (never an HTTP 500), and it comes back by itself.
 */
public final class StreamsHealthIndicator implements ReactiveHealthIndicator {

    /** How long a health check waits for Redis before reporting DOWN. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** How long a health check may take before the indicator answers DOWN. */

    private final StreamsHealth health;
    private final Supplier<GroupState> group;
    private final Supplier<String> credentialsRefusal;
    private final Supplier<String> databaseRefusal;

    public StreamsHealthIndicator(StreamsHealth health) {
        this(health, null);
    }

    /** @param group this instance's view of the group of instances (members, assignment, task states), or null */
    public StreamsHealthIndicator(StreamsHealth health, Supplier<GroupState> group) {
        this(health, group, () -> null);
    }

    /**
     * @param credentialsRefusal why Redis refuses the service's credentials now, or null ({@link RedisCredentialsWatch}):
     *                           named when the check gets no answer (a timeout alone hid a rotated password)
     */
    StreamsHealthIndicator(StreamsHealth health, Supplier<GroupState> group, Supplier<String> credentialsRefusal) {
        this(health, group, credentialsRefusal, () -> null);
    }

    /**
     * @param databaseRefusal the database Redis refuses on reconnect and what to do, or null ({@link RedisDatabaseWatch}):
     *                        named when the check gets no answer (every command then waits for a connection that is
     *                        refused) and among the problems otherwise
     */
    StreamsHealthIndicator(StreamsHealth health, Supplier<GroupState> group, Supplier<String> credentialsRefusal,
                           Supplier<String> databaseRefusal) {
        this.health = health;
        this.group = group;
        this.credentialsRefusal = credentialsRefusal;
        this.databaseRefusal = databaseRefusal;
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
                    b.withDetail("problems", withRefusal(withFailingTasks(report.problems())));
                    b.withDetail("observations", report.observations());
                    b.withDetail("sources", report.sources());
                    addGroup(b);
                    return b.build();
                })
                .onErrorResume(e -> {
                    String refused = credentialsRefusal.get();
                    String database = databaseRefusal.get();
                    Health.Builder down = Health.down()
                            .withDetail("problems", withFailingTasks(java.util.List.of(refused != null
                                    ? "Redis refuses the service's credentials (" + refused + "): was the password changed?"
                                    : database != null ? Secrets.redact(database)
                                    : "Redis did not answer the health check: " + reason(e))));
                    addGroup(down);
                    return Mono.just(down.build());
                });
    }

    /**
     * @return {@code problems} and, while Redis refuses the service's credentials on new connections, a line saying so
     *         (the status is unchanged: connections authenticated before still work). Before (review 2026-12-06) it was
     *         named only when the check got no answer, so a rotated password showed nowhere until liveness turned BROKEN;
     *         and, while Redis refuses the service's database on reconnect, that database and what to do
     */
    private java.util.List<String> withRefusal(java.util.List<String> problems) {
        String refused = credentialsRefusal.get();
        String database = databaseRefusal.get();
        if (refused == null && database == null) {
            return problems;
        }
        java.util.List<String> all = new java.util.ArrayList<>(problems);
        if (refused != null) {
            all.add("Redis refuses the service's credentials on new connections (" + Secrets.redact(refused)
                    + "): was the password changed? Liveness turns BROKEN (a restart reads the secret again) if this lasts");
        }
        if (database != null) {
            all.add(Secrets.redact(database));
        }
        return java.util.List.copyOf(all);
    }

    private static String reason(Throwable e) {
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no reply within " + TIMEOUT.toSeconds() + " s";
        }
        Throwable t = io.quantumtrader.streams.runtime.CauseChain.root(e);
        // the connection's own message names host and port, never the URL with its password (redacted all the same)
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + Secrets.redact(t.getMessage()));
    }

    /**
     * @return {@code problems} and one line per task of this instance that failed and committed nothing since, naming
     *         the cause (a Redis out of memory showed only as "no live consumer" and "see the log")
     */
    private java.util.List<String> withFailingTasks(java.util.List<String> problems) {
        if (group == null) {
            return problems;
        }
        java.util.List<String> all = new java.util.ArrayList<>(problems);
        group.get().failing().forEach((task, cause) ->
                all.add("task " + task + " failed and has committed nothing since: " + Secrets.redact(cause)));
        return java.util.List.copyOf(all);
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
            if (!g.failing().isEmpty()) {
                Map<String, String> failing = new LinkedHashMap<>();
                g.failing().forEach((id, cause) -> failing.put(id, Secrets.redact(cause)));
                d.put("failing", failing);
            }
            if (!g.pausedInputs().isEmpty()) {
                // backpressure, not a failure: the task reads these inputs again once alignment releases their records
                d.put("pausedInputs", g.pausedInputs());
            }
            d.put("rebalances", g.rebalances());
            b.withDetail("group", d);
        }
    }
}
