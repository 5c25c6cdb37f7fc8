package io.quantumtrader.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code qt.streams.health} gauge keeps being checked through a long Redis outage, in which every check hangs,
 * and reads again once Redis answers (found in review, 2026-12-05: the interval loop ended for good with an overflow
 * once checks fell behind). Virtual time: 200 hung checks of 10 s each.
 */
class HealthMeterTest {

    @Test
    void checksGoOnThroughAnOutageWhereEveryCheckHangsAndTheGaugeSaysUnknownMeanwhile() {
        AtomicInteger calls = new AtomicInteger();
        StreamsHealth.Report up = new StreamsHealth.Report(StreamsHealth.Status.UP, List.of(), Map.of(), List.of());
        StreamsHealth.Report down = new StreamsHealth.Report(StreamsHealth.Status.DOWN, List.of("x"), Map.of(), List.of());
        HealthMeter meter = new HealthMeter(() -> {
            int n = calls.incrementAndGet();
            return n == 1 ? Mono.just(down) : n <= 201 ? Mono.never() : Mono.just(up);
        }, new SimpleMeterRegistry(), "app", Duration.ofSeconds(10));

        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            Disposable loop = meter.job().runs(Duration.ZERO).subscribe();
            time.advanceTimeBy(Duration.ZERO);
            assertThat(meter.value()).isEqualTo(0);
            time.advanceTimeBy(Duration.ofSeconds(25));
            assertThat(meter.value()).as("a check that hangs: unknown").isEqualTo(HealthMeter.UNKNOWN);
            time.advanceTimeBy(Duration.ofSeconds(20 * 200));
            assertThat(calls.get()).as("still checking after 200 hung checks").isGreaterThan(201);
            assertThat(meter.value()).as("Redis answers again: UP").isEqualTo(2);
            loop.dispose();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }
}
