package io.quantumtrader.app;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The keys one {@code bench} run writes: each namespace it uses ({@link #namespace}) starts with one run prefix,
 * {@code bench-<epoch ms>}, so that {@link #delete} finds them all with {@code SCAN MATCH <prefix>*} at the end of the
 * run (found in review, 2026-12-07: every run left its namespaces behind in the user's Redis, a throughput run on the
 * defaults several million stream entries).
 */
final class BenchKeys {

    private final String prefix;

    /** @param startMillis the run's start, epoch ms: makes the prefix, unique per run */
    BenchKeys(long startMillis) {
        this.prefix = "bench-" + startMillis;
    }

    /** @return the run's prefix, {@code bench-<epoch ms>}: every key of the run starts with it */
    String prefix() {
        return prefix;
    }

    /** @return a namespace of this run, {@code <prefix>-<part>} */
    String namespace(String part) {
        return prefix + "-" + part;
    }

    /**
     * Deletes every key starting with the prefix: {@code SCAN MATCH <prefix>* COUNT 1000} (on a Redis Cluster Lettuce
     * scans each master) and {@code UNLINK} per key (a key's memory is freed in the background, so the run's long
     * streams cost no pause).
     *
     * @return keys deleted
     * @throws RuntimeException the Redis error when the scan or a deletion fails (the caller says what is left)
     */
    long delete(ReactiveStringRedisTemplate redis) {
        Long deleted = redis.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())
                .flatMap(redis::unlink, 32)
                .reduce(0L, Long::sum)
                .block();
        return deleted == null ? 0 : deleted;
    }

    /** @return the shell command that deletes what {@link #delete} could not, for a message */
    String manualDeletion() {
        return "redis-cli -u \"$REDIS_URL\" --scan --pattern '" + prefix + "*' | xargs -r redis-cli -u \"$REDIS_URL\" unlink";
    }
}
