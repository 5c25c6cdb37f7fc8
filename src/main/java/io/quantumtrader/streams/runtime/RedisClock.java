package io.quantumtrader.streams.runtime;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Redis' clock, the one stream entry ids come from, as this host's clock plus an offset read with {@code TIME} at most
 * once per {@code refresh}: ages of pending entries measured by it do not grow with a skew between the pod and Redis.
 * The offset is 0 until a {@code TIME} answered, and the last one read when one fails (never an error). Found in review
 * (2026-12-07): the {@code qt.streams.consumer.oldest.pending.age.seconds} gauge and a run's "not drained" lines aged
 * entries by the pod's clock while the health check used Redis', so the two disagreed on a pod whose clock drifted.
 */
final class RedisClock {

    private final ReactiveStringRedisTemplate redis;
    private final LongSupplier hostClock;
    private final long refreshMs;
    private volatile long offsetMs;
    private volatile long readAtHostMs = Long.MIN_VALUE;

    /**
     * @param hostClock this host's clock, epoch ms
     * @param refresh   how long an offset read is used before {@code TIME} is asked again
     */
    RedisClock(ReactiveStringRedisTemplate redis, LongSupplier hostClock, Duration refresh) {
        this.redis = redis;
        this.hostClock = hostClock;
        this.refreshMs = refresh.toMillis();
    }

    /** @return Redis' time now, epoch ms (this host's plus the last offset read when Redis does not answer in 2 s) */
    Mono<Long> nowMs() {
        long host = hostClock.getAsLong();
        if (readAtHostMs != Long.MIN_VALUE && host - readAtHostMs < refreshMs) {
            return Mono.just(host + offsetMs);
        }
        return redis.execute(c -> c.serverCommands().time(TimeUnit.MILLISECONDS)).next()
                .timeout(Duration.ofSeconds(2))
                .map(redisMs -> {
                    long after = hostClock.getAsLong();
                    offsetMs = redisMs - after;
                    readAtHostMs = after;
                    return redisMs;
                })
                .onErrorResume(e -> Mono.empty())
                .switchIfEmpty(Mono.fromSupplier(() -> hostClock.getAsLong() + offsetMs));
    }
}
