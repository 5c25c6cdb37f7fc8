package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Background jobs survive errors, slow runs and outages (issue 8 "loops that never die"), on virtual time. */
class PeriodicJobTest {

    @Test
    void errorsAreCountedAndTheNextRunsGoOn() {
        AtomicInteger calls = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("flaky", Duration.ofSeconds(5), Duration.ofSeconds(10), () -> {
            int n = calls.incrementAndGet();
            return n <= 3 ? Mono.error(new IllegalStateException("Redis down")) : Mono.just(n);
        });
        StepVerifier.withVirtualTime(() -> job.runs(Duration.ZERO).take(6))
                .expectSubscription()
                .expectNext(false)
                .thenAwait(Duration.ofSeconds(5)).expectNext(false)
                .thenAwait(Duration.ofSeconds(5)).expectNext(false)
                .thenAwait(Duration.ofSeconds(5)).expectNext(true)
                .thenAwait(Duration.ofSeconds(5)).expectNext(true)
                .thenAwait(Duration.ofSeconds(5)).expectNext(true)
                .verifyComplete();
        assertThat(job.failures()).isEqualTo(3);
        assertThat(job.successes()).isEqualTo(3);
    }

    @Test
    void aRunSlowerThanTheIntervalNeitherOverflowsNorStopsTheJob() {
        // Flux.interval(5 s).concatMap(...) dies with "Could not emit tick" when a run takes longer than the interval
        AtomicInteger calls = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("slow", Duration.ofSeconds(5), Duration.ofMinutes(1), () -> {
            calls.incrementAndGet();
            return Mono.delay(Duration.ofSeconds(40));
        });
        StepVerifier.withVirtualTime(() -> job.runs(Duration.ZERO).take(3))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(40)).expectNext(true)
                .thenAwait(Duration.ofSeconds(45)).expectNext(true)
                .thenAwait(Duration.ofSeconds(45)).expectNext(true)
                .verifyComplete();
        assertThat(calls).hasValue(3);
        assertThat(job.failures()).isZero();
    }

    @Test
    void aRunThatHangsIsCancelledAtItsTimeoutAndTheJobGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("hanging", Duration.ofSeconds(1), Duration.ofSeconds(3), () ->
                calls.incrementAndGet() == 1 ? Mono.never() : Mono.just("ok"));
        StepVerifier.withVirtualTime(() -> job.runs(Duration.ofSeconds(2)).take(2))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(2 + 3)).expectNext(false)
                .thenAwait(Duration.ofSeconds(1)).expectNext(true)
                .verifyComplete();
        assertThat(job.failures()).isEqualTo(1);
    }

    @Test
    void aJobThatThrowsInsteadOfReturningAMonoIsRetriedToo() {
        AtomicInteger calls = new AtomicInteger();
        PeriodicJob job = new PeriodicJob("throwing", Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("bug");
            }
            return Mono.empty();
        });
        StepVerifier.withVirtualTime(() -> job.runs(Duration.ZERO).take(2))
                .expectSubscription()
                .expectNext(false)
                .thenAwait(Duration.ofSeconds(1)).expectNext(true)
                .verifyComplete();
    }
}
