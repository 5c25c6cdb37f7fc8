package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ForwardHook;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forward that appended entries to their target streams and then failed before the outbox cleanup (the step
 * {@link ForwardHook} calls "before the forwarded entries leave the outbox": a lost connection on XDEL, a WAIT that
 * timed out) counts them in qt.streams.outbox.forwarded, and the pages it deleted before failing are counted too
 * ({@code OutboxForwarder.Progress}). Found in review (2026-12-07): only a forward that completed was counted, the next
 * forward found the appended entries as repeats, and the deleted pages were counted nowhere.
 */
class ForwardFailureCountTest {

    @AfterEach
    void reset() {
        RedisClusterTest.redis = null;
    }

    @Test
    @Timeout(120)
    void entriesAppendedByAForwardThatFailedBeforeTheCleanupAreCountedAsForwarded() {
        RedisConnection direct = RedisTestSupport.redis();
        RedisClusterTest.redis = direct;
        String ns = RedisTestSupport.freshNamespace();
        new EventPublisher(direct.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test")
                .sendAll(RedisClusterTest.ticks(), 64).block();
        long crossPartition = 0;
        for (int seq = 1; seq <= RedisClusterTest.PER_SYMBOL; seq++) {
            for (int s = 0; s < RedisClusterTest.SYMBOLS; s++) {
                if (Partitioner.partition("B" + seq % RedisClusterTest.BUCKETS, RedisClusterTest.PARTITIONS)
                        != Partitioner.partition("SYM" + s, RedisClusterTest.PARTITIONS)) {
                    crossPartition++;
                }
            }
        }
        AtomicBoolean failed = new AtomicBoolean();
        // once: every target slot of the page appended, then the step before the XDEL fails
        ForwardHook failOnceBeforeCleanup = (outbox, done, slots) -> done == slots && failed.compareAndSet(false, true)
                ? Mono.error(new IllegalStateException("injected: connection lost before the outbox cleanup"))
                : Mono.empty();
        try (StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(), RedisClusterTest.config(ns, "one"),
                direct.template()).withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX)
                .withForwardHook(failOnceBeforeCleanup))) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
            assertThat(failed).as("the injected failure happened").isTrue();
            RedisClusterTest.assertExactlyOnce(ns);
            assertThat(runtime.counters().outboxForwarded() + runtime.counters().outboxRepeats())
                    .as("forwarded + repeats").isGreaterThanOrEqualTo(crossPartition);
            assertThat(runtime.counters().outboxForwarded())
                    .as("outputs forwarded through the outbox (each reached its stream once; repeats %d)",
                            runtime.counters().outboxRepeats())
                    .isEqualTo(crossPartition);
        }
    }

    /**
     * Worse across pages: {@code OutboxForwarder.page} deletes each page from the outbox once appended but reports the
     * counts only when the last page is done, so when a later page fails the earlier pages' entries are gone from the
     * outbox and counted nowhere, neither as forwarded nor as repeats.
     */
    @Test
    @Timeout(180)
    void entriesOfEarlierPagesOfAFailedForwardAreCountedSomewhere() {
        RedisConnection direct = RedisTestSupport.redis();
        String ns = RedisTestSupport.freshNamespace();
        io.quantumtrader.streams.redis.StreamCatalog catalog = new io.quantumtrader.streams.redis.StreamCatalog(
                new io.quantumtrader.streams.redis.StreamSpec("*", null, 2, 0, null), java.util.Map.of());
        String key = "SYM0";
        String target = null;
        for (int i = 0; target == null; i++) {
            if (Partitioner.partition("T" + i, 2) != Partitioner.partition(key, 2)) {
                target = "T" + i;
            }
        }
        String to = target;
        int n = 1_200;
        java.util.List<EventPublisher.Event> events = new java.util.ArrayList<>();
        for (int seq = 1; seq <= n; seq++) {
            events.add(new EventPublisher.Event("ticks", key, new io.quantumtrader.streams.Tick(key, 100, seq),
                    1_700_000_000_000L + seq, key + "/" + seq));
        }
        new EventPublisher(direct.template(), new StreamKeys(ns), catalog, "test")
                .sendAll(reactor.core.publisher.Flux.fromIterable(events), 64).block();
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("xpg");
        b.stream("ticks", io.quantumtrader.streams.Tick.class, io.quantumtrader.streams.dsl.Named.as("ticks-in"))
                .map((k, v) -> io.quantumtrader.streams.dsl.KeyValue.pair(to, v), io.quantumtrader.streams.dsl.Named.as("rekey"))
                .to("buckets");
        io.quantumtrader.streams.dsl.Topology topology = b.build();
        java.util.function.Function<String, io.quantumtrader.streams.runtime.StreamsConfig> config = id ->
                io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns).withInstanceId(id)
                        .withCatalog(catalog).withBatchSize(200).withLeaseTtl(Duration.ofSeconds(2));
        String outbox = new StreamKeys(ns).outbox("xpg.0", Partitioner.partition(key, 2));

        // a first instance whose forwards do not get through commits everything into the outbox, then crashes
        StreamsRuntime first = new StreamsRuntime(topology, config.apply("first"), direct.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX)
                        .withForwardHook((o, done, slots) -> Mono.never()));
        first.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> direct.template().opsForStream().size(outbox).block() == n);
        first.kill();

        // the next owner's first forward: page 1 (500) appended and deleted, page 2 appended, fails before its cleanup
        java.util.concurrent.atomic.AtomicInteger cleanups = new java.util.concurrent.atomic.AtomicInteger();
        ForwardHook failSecondCleanup = (o, done, slots) -> done == slots && cleanups.incrementAndGet() == 2
                ? Mono.error(new IllegalStateException("injected: connection lost before the outbox cleanup of page 2"))
                : Mono.empty();
        try (StreamsRuntime second = new StreamsRuntime(topology, config.apply("second"), direct.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX)
                        .withForwardHook(failSecondCleanup))) {
            second.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> direct.template().opsForStream().size(outbox).block() == 0);
            assertThat(second.awaitDrained(Duration.ofSeconds(60))).isTrue();
            long inTarget = direct.template().opsForStream().size(new StreamKeys(ns).stream("buckets", Partitioner.partition(to, 2))).block();
            assertThat(inTarget).as("every output once in its stream").isEqualTo(n);
            assertThat(second.counters().outboxForwarded() + second.counters().outboxRepeats())
                    .as("outbox entries counted as forwarded (%d) or as repeats (%d)",
                            second.counters().outboxForwarded(), second.counters().outboxRepeats())
                    .isGreaterThanOrEqualTo(n);
        }
    }
}
