package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lag gauges read source by source ({@link LagGauges#perSource}): a source that cannot be read (its Redis Cluster
 * node down: each reading fails after an attempt timeout) shows NaN after three failed readings of its own, and the
 * sources that can be read keep showing their lag. Found in review, 2026-12-06: one failing source failed the whole
 * refresh, and after three refreshes every gauge of the instance showed NaN. Virtual time.
 */
class LagGaugesPerSourceTest {

    @Test
    void aSourceThatCannotBeReadIsNaNAndTheOthersKeepTheirLag() {
        AtomicInteger reads = new AtomicInteger();
        Mono<SourceLag> up = Mono.fromCallable(() -> new SourceLag("pricing.0", "ticks", 0, 2, reads.incrementAndGet(), 0, 1));
        Mono<SourceLag> down = Mono.delay(Duration.ofSeconds(5)).then(Mono.error(new TimeoutException("no reply")));
        LagGauges[] gauges = new LagGauges[1];
        StepVerifier.withVirtualTime(() -> {
                    gauges[0] = LagGauges.perSource(() -> List.of(
                                    new LagGauges.Source("pricing.0", "ticks", 0, up),
                                    new LagGauges.Source("pricing.0", "ticks", 1, down)),
                            StreamsRuntime.LAG_REFRESH, StreamsRuntime.LAG_TIMEOUT);
                    return gauges[0].job().runs(Duration.ZERO).take(3);
                })
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(false, false, false)   // each refresh failed (one source of two), counted by the job
                .verifyComplete();

        assertThat(gauges[0].value("pricing.0", "ticks", 0, SourceLag::lag)).as("the source that is read").isEqualTo(3.0);
        assertThat(gauges[0].value("pricing.0", "ticks", 0, SourceLag::pending)).isEqualTo(2.0);
        assertThat(gauges[0].value("pricing.0", "ticks", 1, SourceLag::lag)).as("the source that is not").isNaN();
    }

    @Test
    void twoFailedReadingsOfASourceKeepItsLastReadingAndASuccessfulOneClearsTheFailures() {
        AtomicInteger run = new AtomicInteger();
        // fails on runs 2 and 3, reads on 1 and 4
        Mono<SourceLag> flaky = Mono.defer(() -> {
            int n = run.incrementAndGet();
            return n == 2 || n == 3 ? Mono.error(new IllegalStateException("LOADING")) : Mono.just(new SourceLag("g", "s", 0, 0, n, 0, 1));
        });
        LagGauges[] gauges = new LagGauges[1];
        java.util.List<Double> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    gauges[0] = LagGauges.perSource(() -> List.of(new LagGauges.Source("g", "s", 0, flaky)),
                            StreamsRuntime.LAG_REFRESH, StreamsRuntime.LAG_TIMEOUT);
                    return gauges[0].job().runs(Duration.ZERO).take(4)
                            .doOnNext(ok -> seen.add(gauges[0].value("g", "s", 0, SourceLag::lag)));
                })
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(true, false, false, true)
                .verifyComplete();
        assertThat(seen).containsExactly(1.0, 1.0, 1.0, 4.0);
    }

    /** A source that never answers: the job's timeout cuts the refresh, and counts a failure for it. */
    @Test
    void aSourceThatNeverAnswersIsNaNAfterThreeRefreshesCutByTheTimeout() {
        Mono<SourceLag> up = Mono.just(new SourceLag("g", "s", 0, 0, 7, 0, 1));
        LagGauges[] gauges = new LagGauges[1];
        StepVerifier.withVirtualTime(() -> {
                    gauges[0] = LagGauges.perSource(() -> List.of(new LagGauges.Source("g", "s", 0, up),
                                    new LagGauges.Source("g", "s", 1, Mono.never())),
                            StreamsRuntime.LAG_REFRESH, StreamsRuntime.LAG_TIMEOUT);
                    return gauges[0].job().runs(Duration.ZERO).take(3);
                })
                .thenAwait(Duration.ofMinutes(2))
                .expectNext(false, false, false)
                .verifyComplete();
        assertThat(gauges[0].value("g", "s", 0, SourceLag::lag)).isEqualTo(7.0);
        assertThat(gauges[0].value("g", "s", 1, SourceLag::lag)).isNaN();
    }
}
