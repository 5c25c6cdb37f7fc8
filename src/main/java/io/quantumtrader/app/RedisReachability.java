package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.PeriodicJob;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Actuator health {@code redisReachable}, in the readiness group: whether this instance reaches Redis. Redis is
 * pinged every {@code interval} (each ping given up after {@code interval}); the indicator is DOWN once no ping has been
 * answered for {@code unreachableAfter}, and UP again at the first answer. A pod that cannot reach Redis does no work
 * (its leases expire after the lease TTL and the others take its tasks), so it goes out of readiness: a rolling update
 * waits instead of replacing working pods with ones that cannot reach Redis (before, readiness stayed UP through an
 * outage: found in review, 2026-12-06). Not in liveness: a restart does not bring Redis back, and a pod restarted
 * during an outage fails to start instead of waiting. Times are read from Reactor's parallel scheduler clock (epoch ms;
 * virtual under {@code VirtualTimeScheduler}).
 */
public final class RedisReachability extends PeriodicJobLifecycle implements HealthIndicator {

    private final Supplier<? extends Mono<?>> ping;
    private final Duration interval;
    private final Duration unreachableAfter;
    private volatile long lastAnswerMillis = now();
    private volatile String lastFailure = "no ping answered yet";
    private Supplier<String> knownCause = () -> null;

    /**
     * @param ping             one PING (or any command whose answer proves Redis is reached), subscribed anew each time
     * @param interval         time between pings, and how long one may take; at most a quarter of
     *                         {@code unreachableAfter} is used (with pings further apart than the bound the indicator was
     *                         DOWN between two answers: a 1 s lease TTL and 2 s pings, half the time; review 2026-12-06)
     * @param unreachableAfter DOWN once no ping was answered for this long (counted from construction before the first)
     */
    public RedisReachability(Supplier<? extends Mono<?>> ping, Duration interval, Duration unreachableAfter) {
        this.ping = ping;
        Duration quarter = unreachableAfter.dividedBy(4);
        this.interval = interval.compareTo(quarter) > 0 && !quarter.isZero() ? quarter : interval;
        this.unreachableAfter = unreachableAfter;
    }

    /**
     * Registers the gauge {@code qt.streams.redis.reachable}: 1 while {@link #health()} is UP, 0 once Redis has not
     * answered for {@code unreachableAfter} (for alerts; {@code qt.streams.state} stays 1, the runtime still running).
     *
     * @return this
     */
    public RedisReachability withMeter(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("qt.streams.redis.reachable", this, r -> r.reachable() ? 1 : 0)
                .description("1 while this instance reaches Redis, 0 once Redis has not answered a ping for the lease TTL")
                .register(registry);
        return this;
    }

    /**
     * Also registers {@code qt.streams.job.failures{application, background.job=redis.reachability}}: the failed pings
     * of every start (until 2026-12-07 the job counted them and no meter showed them; found in review).
     *
     * @param applicationId the application tag of the runtime's own {@code qt.streams.job.failures}
     * @return this
     */
    public RedisReachability withMeter(io.micrometer.core.instrument.MeterRegistry registry, String applicationId) {
        io.quantumtrader.streams.metrics.StreamsMetrics.jobFailures(registry, applicationId, "redis.reachability", failures);
        return withMeter(registry);
    }

    /** Failed or timed-out pings, every start's. */
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /**
     * Names a cause known elsewhere in the DOWN detail instead of the last ping's failure, which is then only a timeout:
     * a database Redis refuses on every reconnect ({@link RedisDatabaseWatch#problem()}).
     *
     * @param cause the cause, one line, or null while none is known
     * @return this
     */
    RedisReachability withKnownCause(Supplier<String> cause) {
        this.knownCause = cause;
        return this;
    }

    /** @return true while a ping was answered within {@code unreachableAfter} */
    public boolean reachable() {
        return now() - lastAnswerMillis < unreachableAfter.toMillis();
    }

    @Override
    public Health health() {
        long silentMillis = now() - lastAnswerMillis;
        if (!reachable()) {
            String known = knownCause.get();
            return Health.down()
                    .withDetail("error", Secrets.redact("Redis has not answered for " + silentMillis + " ms (" + lastFailure
                            + "); this pod is not ready until it does: " + (known != null ? known
                            : "check Redis and the network between them")))
                    .build();
        }
        return Health.up().withDetail("lastAnswerMillisAgo", silentMillis).build();
    }

    /** The pings, one after another, {@code interval} apart; failures are logged and counted by the job. */
    @Override
    PeriodicJob job() {
        return new PeriodicJob("redis reachability", interval, interval.multipliedBy(2), this::pingOnce);
    }

    private Mono<Void> pingOnce() {
        return Mono.defer(ping)
                .timeout(interval)
                .doOnSuccess(answer -> lastAnswerMillis = now())
                .doOnError(e -> {
                    failures.increment();
                    lastFailure = e instanceof java.util.concurrent.TimeoutException
                            ? "no answer within " + interval.toMillis() + " ms" : String.valueOf(e.getMessage());
                })
                .then();
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }
}
