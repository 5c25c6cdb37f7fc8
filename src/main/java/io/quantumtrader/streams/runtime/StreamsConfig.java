package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamCatalog;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Runtime settings. Start from {@link #defaults()} and override with the {@code with*} methods.
 *
 * @param namespace       Redis key prefix (DESIGN §2), default {@code qt}
 * @param instanceId      consumer name in every group; default {@code <pid>-<random>}
 * @param batchSize       max entries per task batch (one XREADGROUP COUNT), default 2,000 (500 until 2026-12-04: in
 *                        {@code bench} 2,000 gave 6–34 % more records/s in six of six alternating comparisons, with
 *                        Redis' CPU per record the same or lower and no higher latency at 1,000/s and 10,000/s; a
 *                        batch is only as large as what is waiting, so at low rates batches stay small;
 *                        docs/BENCHMARKS.md, 2026-12-04 20:07 section); a task with several input streams
 *                        splits it among those that have more to read, so a read returns up to this many per stream
 *                        when streams that had nothing get entries at once
 * @param idleMin         first delay before re-reading an empty partition, default 2 ms (doubles while idle)
 * @param idleMax         longest delay between reads of an idle partition, default 100 ms
 * @param retryBackoff    delays between attempts of a failing processor or commit, default 100, 500, 2000 ms
 * @param catalog         partitions, MAXLEN and retention per stream
 * @param beforeCommit    hook run before each commit (fault injection in tests); default none
 * @param trimInterval    how often streams are trimmed by retention (XTRIM MINID), default 60 s
 * @param punctuationInterval how often tasks run wall-clock punctuations, default 1 s; positive
 * @param staleConsumerIdle   a consumer idle this long is stale: removed when it holds no pending entries (at task
 *                            start, after its entries were claimed, and with every trim pass), default 5 min
 * @param assignment          lease TTL and rebalancing when several instances share the tasks ({@link AssignmentConfig})
 * @param ingest          what sources accept: event-time skew, entry size, subject length, dedupe window
 *                        ({@link IngestLimits#defaults()})
 * @param alignment       event-time alignment of multi-input tasks and watermark publication ({@link InputAlignment};
 *                        default {@link InputAlignment#disabled()})
 */
public record StreamsConfig(String namespace, String instanceId, int batchSize, Duration idleMin,
                            Duration idleMax, List<Duration> retryBackoff, StreamCatalog catalog,
                            CommitHook beforeCommit, Duration trimInterval,
                            Duration punctuationInterval, Duration staleConsumerIdle,
                            AssignmentConfig assignment, IngestLimits ingest, InputAlignment alignment) {

    public StreamsConfig {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(instanceId, "instanceId");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (staleConsumerIdle == null || staleConsumerIdle.isZero() || staleConsumerIdle.isNegative()) {
            // 0 judged every consumer of another application stale at once (health OUT_OF_SERVICE past
            // max-stale-consumers) and was accepted without a word (review 2026-12-06)
            throw new IllegalArgumentException("staleConsumerIdle must be positive, was " + staleConsumerIdle);
        }
        if (punctuationInterval == null || punctuationInterval.isZero() || punctuationInterval.isNegative()) {
            // 0 hung every task (the replay with --punctuation-ms 0 published no tick in 40 s; 2026-12-06)
            throw new IllegalArgumentException("punctuationInterval must be positive, was " + punctuationInterval);
        }
        retryBackoff = List.copyOf(retryBackoff);
        Objects.requireNonNull(assignment, "assignment");
        Objects.requireNonNull(alignment, "alignment");
    }

    /** Default {@link #batchSize()}: entries per task batch (see the record's comment for why 2,000). */
    public static final int DEFAULT_BATCH_SIZE = 2000;

    /** @return the defaults listed on this record */
    public static StreamsConfig defaults() {
        String pid = String.valueOf(ManagementFactory.getRuntimeMXBean().getPid());
        return new StreamsConfig("qt", pid + "-" + UUID.randomUUID().toString().substring(0, 8), DEFAULT_BATCH_SIZE,
                Duration.ofMillis(2), Duration.ofMillis(100),
                List.of(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(2000)),
                StreamCatalog.defaults(), CommitHook.NONE, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMinutes(5),
                AssignmentConfig.defaults(), IngestLimits.defaults(), InputAlignment.disabled());
    }

    public StreamsConfig withNamespace(String v) {
        return new StreamsConfig(v, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withInstanceId(String v) {
        return new StreamsConfig(namespace, v, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withBatchSize(int v) {
        return new StreamsConfig(namespace, instanceId, v, idleMin, idleMax, retryBackoff, catalog, beforeCommit, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }


    public StreamsConfig withRetryBackoff(List<Duration> v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, v, catalog, beforeCommit, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withCatalog(StreamCatalog v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, v, beforeCommit, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withTrimInterval(Duration v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit, v, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withPunctuationInterval(Duration v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit, trimInterval, v, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withStaleConsumerIdle(Duration v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit,
                trimInterval, punctuationInterval, v, assignment, ingest, alignment);
    }

    public StreamsConfig withBeforeCommit(CommitHook v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, v, trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    public StreamsConfig withAssignment(AssignmentConfig v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit,
                trimInterval, punctuationInterval, staleConsumerIdle, v, ingest, alignment);
    }

    /** @return these settings with another lease TTL (see {@link AssignmentConfig#leaseTtl()}) */
    public StreamsConfig withLeaseTtl(Duration v) {
        return withAssignment(assignment.withLeaseTtl(v));
    }

    public StreamsConfig withIngest(IngestLimits v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit,
                trimInterval, punctuationInterval, staleConsumerIdle, assignment, v, alignment);
    }

    /**
     * @param min first delay before re-reading an empty partition (doubles while the partition stays empty)
     * @param max longest delay between reads of an idle partition; bounds the latency a record arriving at an idle
     *            partition waits before it is read, at the cost of one read per partition every {@code max} while idle
     * @return these settings with another idle back-off
     * @throws IllegalArgumentException when {@code min} is negative or {@code max} is shorter than {@code min}
     */
    public StreamsConfig withIdle(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("idle back-off needs 0 <= min <= max, was " + min.toMillis() + " ms and "
                    + max.toMillis() + " ms");
        }
        return new StreamsConfig(namespace, instanceId, batchSize, min, max, retryBackoff, catalog, beforeCommit,
                trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, alignment);
    }

    /** @return these settings with another event-time alignment ({@link InputAlignment}) */
    public StreamsConfig withAlignment(InputAlignment v) {
        return new StreamsConfig(namespace, instanceId, batchSize, idleMin, idleMax, retryBackoff, catalog, beforeCommit,
                trimInterval, punctuationInterval, staleConsumerIdle, assignment, ingest, v);
    }
}
