package io.quantumtrader.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the {@code streams} health indicator reports DOWN when Redis does not answer within
 * 3 s ({@link StreamsHealthIndicator#TIMEOUT}), but the {@code qt.streams.health} gauge (what {@code /topology}'s
 * health pill and the dashboard read) waited the whole check interval (10 s in {@code serve}) before giving up, on top
 * of the up to 10 s until the next check: measured on {@code serve} with {@code CLIENT PAUSE}, "health UP" for ~12 s
 * while {@code /actuator/health} was 503. A check now times out after min(interval, the indicator's timeout).
 */
class HealthMeterStaleUpTest {

    static final StreamsHealth.Report UP = new StreamsHealth.Report(StreamsHealth.Status.UP, List.of(), Map.of(), List.of());

    @Test
    void aCheckWithoutAnswerStopsShowingUpAfterTheIndicatorsTimeout() {
        AtomicReference<Mono<StreamsHealth.Report>> next = new AtomicReference<>(Mono.just(UP));
        HealthMeter meter = new HealthMeter(next::get, new SimpleMeterRegistry(), "app", Duration.ofSeconds(10));
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            meter.check().block();
            assertThat(meter.value()).isEqualTo(2);

            next.set(Mono.never()); // Redis stops answering
            Disposable running = meter.check().subscribe(v -> { }, e -> { });
            time.advanceTimeBy(StreamsHealthIndicator.TIMEOUT.minusMillis(1));
            assertThat(meter.value()).as("the last reading, the check not yet given up").isEqualTo(2);
            time.advanceTimeBy(Duration.ofMillis(1));
            assertThat(meter.value()).as("qt.streams.health once a check has gone unanswered for the indicator's "
                    + "timeout (the indicator says DOWN then)").isEqualTo(HealthMeter.UNKNOWN);
            running.dispose();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aRedisThatStopsAnsweringRightAfterACheckIsNoLongerUpOneIntervalAndOneTimeoutLater() {
        AtomicReference<Mono<StreamsHealth.Report>> next = new AtomicReference<>(Mono.just(UP));
        HealthMeter meter = new HealthMeter(next::get, new SimpleMeterRegistry(), "app", Duration.ofSeconds(10));
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            Disposable loop = meter.job().runs(Duration.ZERO).subscribe();
            time.advanceTimeBy(Duration.ZERO);
            assertThat(meter.value()).isEqualTo(2);
            next.set(Mono.never());
            time.advanceTimeBy(Duration.ofSeconds(10).plus(StreamsHealthIndicator.TIMEOUT));
            assertThat(meter.value()).as("13 s after the last answer (it was 20 s)").isEqualTo(HealthMeter.UNKNOWN);
            loop.dispose();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    @Test
    void anIntervalShorterThanTheIndicatorsTimeoutIsTheCheckTimeout() {
        HealthMeter meter = new HealthMeter(Mono::never, new SimpleMeterRegistry(), "app", Duration.ofSeconds(1));
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            Disposable running = meter.check().subscribe(v -> { }, e -> { });
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(meter.value()).isEqualTo(HealthMeter.UNKNOWN);
            running.dispose();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }
}
