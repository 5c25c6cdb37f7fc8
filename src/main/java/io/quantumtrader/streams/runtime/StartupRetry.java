package io.quantumtrader.streams.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How {@link StreamsRuntime#start()} waits for a slow or restarting Redis: each startup step that asks Redis (the
 * partition-count check, the commit script's preload, each consumer group's creation, the legacy-layout and the
 * eviction-policy checks) gets at most {@code attemptTimeout} per attempt and is tried
 * again with Reactor's exponential backoff ({@link Retry#backoff}: {@code firstBackoff}, doubling up to
 * {@code maxBackoff}, jittered) after a timeout, a lost or refused connection, or a reply that says Redis is not ready
 * yet ({@code LOADING}, {@code BUSY}, {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN}), logging one warning
 * per retry. All steps of one start share one overall {@code limit}; past it the start fails with
 * {@link RedisNotReadyException}, one line. Before (2026-12-06) the groups' creation got 30 s in all and the first
 * timeout aborted the start ({@code StartupRetryTest}).
 *
 * @param attemptTimeout how long one attempt may wait for its reply (default 5 s, as long as the engine's admin
 *                       scripts wait for theirs at run time; the start gives them this one instead)
 * @param firstBackoff   the wait before the first retry, doubled before each further one (default 1 s)
 * @param maxBackoff     the longest wait between two attempts (default 15 s)
 * @param limit          how long the steps of one start may take in all, retries included (default 2 min)
 */
public record StartupRetry(Duration attemptTimeout, Duration firstBackoff, Duration maxBackoff, Duration limit) {

    private static final Logger log = LoggerFactory.getLogger(StartupRetry.class);

    /** Redis error replies that mean "not ready yet, ask again". */
    /** Replies that say the credentials or the user's rights were refused: asking again cannot help. */
    private static final java.util.List<String> REFUSED = java.util.List.of("WRONGPASS", "NOAUTH", "NOPERM", "ERR AUTH",
            "ERR invalid password", "ERR Client sent AUTH");
    private static final java.util.List<String> NOT_READY = java.util.List.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");

    /**
     * @throws IllegalArgumentException when a duration is not positive, or {@code maxBackoff} is below
     *                                  {@code firstBackoff}
     */
    public StartupRetry {
        for (Duration d : new Duration[]{attemptTimeout, firstBackoff, maxBackoff, limit}) {
            if (Objects.requireNonNull(d, "startup retry durations").isNegative() || d.isZero()) {
                throw new IllegalArgumentException("startup retry durations must be positive, got " + d);
            }
        }
        if (maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below firstBackoff " + firstBackoff);
        }
    }

    /** @return 5 s per attempt, backoff from 1 s up to 15 s, 2 min in all */
    public static StartupRetry defaults() {
        return new StartupRetry(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(2));
    }

    /**
     * @return when the steps of a start beginning now must be done: epoch ms on the clock of Reactor's parallel
     *         scheduler (the virtual clock under {@code StepVerifier.withVirtualTime})
     */
    long deadline() {
        long now = now();
        return now > Long.MAX_VALUE - limit.toMillis() ? Long.MAX_VALUE : now + limit.toMillis();
    }

    /**
     * @param step     one startup step (subscribed again for each attempt; it must be safe to repeat)
     * @param what     what the step does, naming the stream, e.g. {@code creating consumer group g of stream qt:{qt.0}:ticks}
     * @param deadline {@link #deadline()} of the start
     * @return the step, retried as described on this record; fails with {@link RedisNotReadyException} once Redis has
     *         not answered by {@code deadline}, or with the step's own error when it is not one of waiting for Redis
     */
    <T> Mono<T> retried(Mono<T> step, String what, long deadline) {
        return Mono.defer(() -> {
                    long left = deadline - now();
                    if (left <= 0) {
                        return Mono.<T>error(new TimeoutException("no time left"));
                    }
                    return step.timeout(Duration.ofMillis(Math.min(left, attemptTimeout.toMillis())));
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstBackoff).maxBackoff(maxBackoff)
                        .filter(e -> waitingForRedis(e) && now() < deadline)
                        .doBeforeRetry(s -> log.warn("start: {} failed ({}), attempt {}; retrying with backoff until {} after the "
                                        + "start. Check that Redis is up and reachable, and not paused (CLIENT PAUSE), loading "
                                        + "its data (LOADING) or busy with a long script (BUSY)", what,
                                describe(s.failure()), s.totalRetries() + 1, limit)))
                .onErrorMap(StartupRetry::waitingForRedis, e -> new RedisNotReadyException("start failed: " + what
                        + " got no reply from Redis within " + limit + " (last: " + describe(e) + "). Check that Redis is up, "
                        + "reachable and not paused or loading, then start again", e));
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    private String describe(Throwable e) {
        return e instanceof TimeoutException ? "no reply within " + attemptTimeout : CauseMessages.of(e);
    }

    /**
     * @return whether a Redis reply says it is not ready yet ({@code LOADING}, {@code BUSY}, {@code MASTERDOWN},
     *         {@code CLUSTERDOWN}, {@code TRYAGAIN}): asking again later can succeed
     */
    public static boolean notReadyReply(String message) {
        return message != null && NOT_READY.stream().anyMatch(message::startsWith);
    }

    /**
     * @return true for an error that says Redis did not answer or is not ready yet (worth asking again); false when
     *         anything in its cause chain says asking again cannot help — the credentials were refused, TLS failed, the
     *         host is unknown — although the client wraps those in the same connection failure as a Redis that is down
     *         (found in review, 2026-12-06: a wrong password was retried for 2 minutes, then reported as no reply). A
     *         connection lost or not made ({@link io.quantumtrader.streams.redis.ReadConnectionLostException#is}: on a
     *         Redis Cluster Lettuce refuses commands to a master whose connection dropped with "Currently not
     *         connected") is waited for too: until 2026-12-07 a start during a failover failed in 3 ms (found in
     *         review, {@code MasterDownAtStartTest})
     */
    static boolean waitingForRedis(Throwable e) {
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(e)) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.net.UnknownHostException
                    || (t instanceof io.lettuce.core.RedisCommandExecutionException && t.getMessage() != null
                    && REFUSED.stream().anyMatch(t.getMessage()::startsWith))) {
                return false;
            }
        }
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(e)) {
            if (t instanceof TimeoutException || t instanceof org.springframework.dao.QueryTimeoutException
                    || t instanceof org.springframework.data.redis.RedisConnectionFailureException
                    || t instanceof io.lettuce.core.RedisConnectionException
                    || t instanceof io.lettuce.core.RedisCommandTimeoutException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof io.lettuce.core.RedisCommandExecutionException && notReadyReply(t.getMessage())) {
                return true;
            }
        }
        return io.quantumtrader.streams.redis.ReadConnectionLostException.is(e);
    }

    /** The runtime could not start: Redis did not answer a startup step within {@link StartupRetry#limit()}. */
    public static final class RedisNotReadyException extends RuntimeException {
        RedisNotReadyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
