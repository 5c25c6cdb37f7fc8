package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TryAgainRetry}, in virtual time. */
class TryAgainRetryTest {

    private static Mono<String> failing(AtomicInteger sent, int failures, String reply) {
        return Mono.defer(() -> sent.incrementAndGet() <= failures
                ? Mono.error(new RedisCommandExecutionException(reply)) : Mono.just("ok"));
    }

    @Test
    void aCommandRefusedWithTryAgainIsSentAgainAfterAShortWait() {
        AtomicInteger sent = new AtomicInteger();
        long retriesBefore = TryAgainRetry.retries();
        StepVerifier.withVirtualTime(() -> TryAgainRetry.retried(failing(sent, 3, "TRYAGAIN Multiple keys request during rehashing of slot")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext("ok")
                .verifyComplete();
        assertThat(sent).hasValue(4);
        assertThat(TryAgainRetry.retries() - retriesBefore).as("re-sends counted (meter qt.streams.redis.tryagain.retries)")
                .isEqualTo(3);
    }

    @Test
    void afterItsAttemptsTheTryAgainErrorItselfIsPassedOn() {
        AtomicInteger sent = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> TryAgainRetry.retried(failing(sent, 100, "TRYAGAIN Multiple keys request during rehashing of slot")))
                .thenAwait(Duration.ofSeconds(60))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("TRYAGAIN"))
                .verify();
        assertThat(sent).hasValue(1 + TryAgainRetry.ATTEMPTS);
    }

    @Test
    void eachAttemptHasItsOwnTimeoutSoTryAgainLongerThanItIsWaitedOut() {
        AtomicInteger sent = new AtomicInteger();
        // 20 refusals take 7.8–16 s of backoff in all (jitter), more than the 5 s each attempt may take
        StepVerifier.withVirtualTime(() -> TryAgainRetry.retried(failing(sent, 20, "TRYAGAIN Multiple keys request during rehashing of slot"),
                        Duration.ofSeconds(5)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(30))
                .expectNext("ok")
                .verifyComplete();
        assertThat(sent).hasValue(21);
    }

    @Test
    void anAttemptWithoutAReplyTimesOutAndIsNotSentAgain() {
        AtomicInteger sent = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> TryAgainRetry.retried(Mono.defer(() -> {
                    sent.incrementAndGet();
                    return Mono.<String>never();
                }), Duration.ofSeconds(5)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4_900))
                .thenAwait(Duration.ofMillis(100))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify();
        assertThat(sent).hasValue(1);
    }

    @Test
    void otherErrorsAreNotSentAgain() {
        AtomicInteger sent = new AtomicInteger();
        long retriesBefore = TryAgainRetry.retries();
        StepVerifier.withVirtualTime(() -> TryAgainRetry.retried(failing(sent, 1, "FENCED lease held by another token")))
                .expectErrorMessage("FENCED lease held by another token")
                .verify();
        assertThat(sent).hasValue(1);
        assertThat(TryAgainRetry.retries()).isEqualTo(retriesBefore);
        assertThat(TryAgainRetry.isTryAgain(new RuntimeException("wrapped", new RedisCommandExecutionException("TRYAGAIN x")))).isTrue();
        assertThat(TryAgainRetry.isTryAgain(new RedisCommandExecutionException("ERR TRYAGAIN in a message"))).isFalse();
    }
}
