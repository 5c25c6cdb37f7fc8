package io.quantumtrader.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams health as a meter, so dashboards and alerts see what {@code /actuator/health} says: gauge
 * {@code qt.streams.health} (tag {@code application}) is 2 for UP, 1 for OUT_OF_SERVICE, 0 for DOWN and -1 before
 * the first check or when a check fails. Checked every {@code interval} (the check reads consumer groups from Redis);
 * a check Redis has not answered within {@link StreamsHealthIndicator#TIMEOUT} (or the interval, when shorter) has
 * failed, as the indicator then says DOWN.
 */
public final class HealthMeter extends PeriodicJobLifecycle {

    /** Value of the gauge before the first check, or after a check that failed. */
    public static final int UNKNOWN = -1;

    private final java.util.function.Supplier<Mono<StreamsHealth.Report>> health;
    private final Duration interval;
    /** How long a check waits for Redis: the {@code streams} indicator's timeout, or the interval when shorter. */
    private final Duration checkTimeout;
    private final AtomicInteger value = new AtomicInteger(UNKNOWN);

    /**
     * @param health        what to check
     * @param registry      where the gauge is registered
     * @param applicationId the {@code application} tag
     * @param interval      time between checks
     */
    public HealthMeter(StreamsHealth health, MeterRegistry registry, String applicationId, Duration interval) {
        this(health::check, registry, applicationId, interval);
    }

    /**
     * @param health a check of the streams' health (one reading per subscription)
     */
    HealthMeter(java.util.function.Supplier<Mono<StreamsHealth.Report>> health, MeterRegistry registry, String applicationId,
                Duration interval) {
        this.health = health;
        this.interval = interval;
        this.checkTimeout = interval.compareTo(StreamsHealthIndicator.TIMEOUT) < 0 ? interval : StreamsHealthIndicator.TIMEOUT;
        Gauge.builder("qt.streams.health", value, AtomicInteger::get)
                .description("streams health: 2 UP, 1 OUT_OF_SERVICE, 0 DOWN, -1 unknown")
                .tag("application", applicationId)
                .register(registry);
        io.quantumtrader.streams.metrics.StreamsMetrics.jobFailures(registry, applicationId, "health.meter", failures);
    }

    /** Failed checks, every start's ({@code qt.streams.job.failures{background.job=health.meter}}). */
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /** @return the last reading: 2 UP, 1 OUT_OF_SERVICE, 0 DOWN, -1 unknown */
    public int value() {
        return value.get();
    }

    /**
     * Checks health once and updates the gauge; a check that takes longer than the {@code streams} indicator's timeout
     * (3 s; the interval when shorter), as with a Redis that does not answer (Lettuce's command timeout is 60 s), counts
     * as failed, and the gauge says unknown. Until 2026-12-07 it waited the whole interval (10 s in {@code serve}), so
     * the gauge said UP for up to 20 s after Redis stopped answering while the indicator said DOWN after 3 s (found in
     * review, {@code HealthMeterStaleUpTest}).
     */
    public Mono<Void> check() {
        // the error reaches the job: one WARN per outage (then DEBUG, and INFO when it works again) and every failure
        // counted; until 2026-12-07 each failed check logged a WARN of its own, 10–20 s apart for as long as an outage
        // lasted, and none was counted (found in review, HealthMeterOutageLogTest)
        return Mono.defer(health::get)
                .timeout(checkTimeout, Mono.error(() -> new IllegalStateException(
                        "Redis did not answer the health check within " + checkTimeout.toMillis() + " ms")))
                .doOnNext(report -> value.set(code(report.status())))
                .doOnError(e -> {
                    value.set(UNKNOWN);
                    failures.increment();
                })
                .then();
    }

    /** @return the gauge value of a status */
    public static int code(StreamsHealth.Status status) {
        return switch (status) {
            case UP -> 2;
            case OUT_OF_SERVICE -> 1;
            case DOWN -> 0;
        };
    }

    /**
     * The checks, one after another, {@code interval} apart, whatever happens: a
     * {@link io.quantumtrader.streams.runtime.PeriodicJob} (found in review, 2026-12-05: a {@code Flux.interval} with
     * {@code concatMap} ended for good with an overflow error once checks fell ~32 intervals behind, as during a Redis
     * outage of a few minutes, and the gauge stayed at its last value).
     */
    @Override
    io.quantumtrader.streams.runtime.PeriodicJob job() {
        return new io.quantumtrader.streams.runtime.PeriodicJob("qt.streams.health meter", interval, interval.multipliedBy(2), this::check);
    }

    /** Starts after the streams runtime and stops before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
