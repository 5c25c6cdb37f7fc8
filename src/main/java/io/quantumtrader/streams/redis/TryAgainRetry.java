package io.quantumtrader.streams.redis;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import java.time.Duration;

/**
 * Sends a command again when a Redis Cluster refused it with {@code TRYAGAIN}: its keys' slot is being migrated and
 * some of its keys are on the source, some on the target (Redis Cluster specification, "Multi-keys operations":
 * "the client should try again after some time"). Redis refuses such a command before running it, so sending it again
 * does it once. Every script of the engine names several keys of one slot (a task's stream, lease, state, meta), so
 * during a resharding each would otherwise fail its task, which restarted from its last commit (ClusterReshardingTest:
 * 6–9 restarts in a run of four passes over six slots).
 *
 * <p>Waits 25 ms, doubling up to 1 s, with Reactor's jitter, at most {@value #ATTEMPTS} times (10–20 s in all; 19.6 s
 * without jitter); then the {@code TRYAGAIN} error itself is passed on. A slot's keys are refused this way for as long
 * as its move takes when a command names a key that does not exist yet (Redis counts it as moved), or while a move is
 * held half done: reads and watermark reads time each attempt out, not the attempts together, so a task waits out a
 * slot held mid-migration for ~10 s (ClusterReshardingTest holds one for 7 s) and restarts only after that.
 */
public final class TryAgainRetry {

    /** Attempts after the first. */
    static final int ATTEMPTS = 24;

    /** Commands sent again so far, in this JVM ({@link #retries()}). */
    private static final java.util.concurrent.atomic.LongAdder RETRIES = new java.util.concurrent.atomic.LongAdder();

    private static final RetryBackoffSpec RETRY = Retry.backoff(ATTEMPTS, Duration.ofMillis(25))
            .maxBackoff(Duration.ofSeconds(1))
            .filter(TryAgainRetry::isTryAgain)
            .doBeforeRetry(signal -> RETRIES.increment())
            .onRetryExhaustedThrow((spec, signal) -> signal.failure());

    private TryAgainRetry() {
    }

    /** @return {@code command}, subscribed again (so sent again) after each {@code TRYAGAIN} */
    public static <T> Mono<T> retried(Mono<T> command) {
        return command.retryWhen(RETRY);
    }

    /**
     * For a connection that keeps its commands in order ({@link ClusterCommitConnection}): the waits run on its one
     * dispatch thread and without jitter, so two pipelined commits refused one after the other are sent again in the
     * same order (with jitter the second could go first and be refused out of sequence; {@code CommitOrder} then sends
     * it again, at the cost of a round trip).
     *
     * @param timer the connection's dispatch thread
     * @return {@code command}, subscribed again after each {@code TRYAGAIN}
     */
    static <T> Mono<T> retriedInOrder(Mono<T> command, reactor.core.scheduler.Scheduler timer) {
        return command.retryWhen(RETRY.jitter(0).scheduler(timer));
    }

    /** @return {@code command} (a reply that errors before its first element), sent again after each {@code TRYAGAIN} */
    public static <T> Flux<T> retried(Flux<T> command) {
        return command.retryWhen(RETRY);
    }

    /**
     * For reads that must not wait for ever: each attempt fails with a {@link java.util.concurrent.TimeoutException}
     * after {@code attemptTimeout}, and only a {@code TRYAGAIN} is sent again. A timeout around all the attempts would
     * cut the retries short: a task whose slot is held half migrated longer than it would restart
     * (ClusterReshardingTest's held slot).
     *
     * @return {@code command}, each attempt bounded by {@code attemptTimeout}, sent again after each {@code TRYAGAIN}
     */
    public static <T> Mono<T> retried(Mono<T> command, Duration attemptTimeout) {
        return retried(command.timeout(attemptTimeout));
    }

    /** {@link #retried(Mono, Duration)} for a reply as a Flux (the timeout bounds its first element and each next). */
    public static <T> Flux<T> retried(Flux<T> command, Duration attemptTimeout) {
        return retried(command.timeout(attemptTimeout));
    }

    /**
     * @return commands sent again after a {@code TRYAGAIN} so far by every connection of this JVM (meter
     *         {@code qt.streams.redis.tryagain.retries}): above 0 only on a Redis Cluster while slots move
     */
    public static long retries() {
        return RETRIES.sum();
    }

    /** @return true when the error (or a cause) is Redis' {@code TRYAGAIN} reply */
    static boolean isTryAgain(Throwable error) {
        return RedisErrors.errorReply(error).filter(reply -> reply.startsWith("TRYAGAIN")).isPresent();
    }
}
