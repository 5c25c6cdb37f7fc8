package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ForwardHook;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A release removes a sub-topology (the last one, so nothing is renumbered: a start with only a warning about its
 * abandoned consumer group) while that sub-topology's outbox still holds committed, unforwarded outputs (its previous
 * instance crashed, or its last forward failed): the new release's start forwards them ({@code OrphanedOutboxes}),
 * counted in qt.streams.outbox.forwarded. Found in review (2026-12-07): nothing forwarded that outbox any more, the
 * outputs, whose inputs were acknowledged, never reached their streams (408 of 480), and nothing named them.
 */
class RemovedSubtopologyOutboxTest {

    static final int PARTITIONS = RedisClusterTest.PARTITIONS;

    @AfterEach
    void reset() {
        RedisClusterTest.redis = null;
    }

    /** Sub-topology 0: other → other-out; sub-topology 1 (when {@code withRekey}): ticks re-keyed → buckets. */
    static Topology topology(boolean withRekey) {
        TopologyBuilder b = new TopologyBuilder("xrm");
        b.stream("other", Tick.class, Named.as("other-in")).mapValues(t -> t.seq(), Named.as("other-seq")).to("other-out");
        if (withRekey) {
            b.stream("ticks", Tick.class, Named.as("ticks-in"))
                    .map((k, v) -> KeyValue.pair("B" + v.seq() % RedisClusterTest.BUCKETS, v), Named.as("rekey"))
                    .to("buckets");
        }
        return b.build();
    }

    private static long outboxEntries(RedisConnection redis, String ns, String group) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Long len = redis.template().opsForStream().size(new StreamKeys(ns).outbox(group, p)).block();
            n += len == null ? 0 : len;
        }
        return n;
    }

    @Test
    @Timeout(120)
    void outputsLeftInTheOutboxOfARemovedSubtopologyReachTheirStreamsOrAreReported() {
        RedisConnection redis = RedisTestSupport.redis();
        RedisClusterTest.redis = redis;
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = new EventPublisher(redis.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test");
        publisher.sendAll(RedisClusterTest.ticks(), 64).block();
        List<EventPublisher.Event> other = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            other.add(new EventPublisher.Event("other", "K" + i, new Tick("K" + i, 1, i), 1_700_000_000_000L + i, "o/" + i));
        }
        publisher.sendAll(Flux.fromIterable(other), 64).block();
        long crossPartition = 0;
        for (int seq = 1; seq <= RedisClusterTest.PER_SYMBOL; seq++) {
            for (int s = 0; s < RedisClusterTest.SYMBOLS; s++) {
                if (Partitioner.partition("B" + seq % RedisClusterTest.BUCKETS, PARTITIONS)
                        != Partitioner.partition("SYM" + s, PARTITIONS)) {
                    crossPartition++;
                }
            }
        }
        long expected = crossPartition;
        assertThat(topology(true).taskSubtopologies()).hasSize(2);

        // release 1: the re-keying sub-topology's forwards do not get through (its instance then crashes)
        ForwardHook stuck = (outbox, done, slots) -> outbox.endsWith("outbox:xrm.1") ? Mono.never() : Mono.empty();
        StreamsRuntime first = new StreamsRuntime(topology(true), RedisClusterTest.config(ns, "old"), redis.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX).withForwardHook(stuck));
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> outboxEntries(redis, ns, "xrm.1") == expected);
        first.kill();

        // release 2: the re-keying sub-topology removed for good
        try (StreamsRuntime second = new StreamsRuntime(topology(false), RedisClusterTest.config(ns, "new"), redis.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX))) {
            second.start();
            assertThat(second.awaitDrained(Duration.ofSeconds(60))).isTrue();
            assertThat(second.counters().outboxForwarded()).as("forwarded at the start, counted").isEqualTo(expected);
        }
        long inBuckets = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            inBuckets += RedisTestSupport.entriesOf(redis.template(), ns, "buckets", p).size();
        }
        assertThat(outboxEntries(redis, ns, "xrm.1"))
                .as("committed outputs left in the removed sub-topology's outbox, never forwarded (buckets hold %d of %d outputs)",
                        inBuckets, RedisClusterTest.SYMBOLS * RedisClusterTest.PER_SYMBOL)
                .isZero();
        assertThat(inBuckets).as("every output of the removed sub-topology in its stream")
                .isEqualTo((long) RedisClusterTest.SYMBOLS * RedisClusterTest.PER_SYMBOL);
    }
}
