package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task's dedupe log lost (a partial loss of Redis' data, a {@code DEL}) while its meta hash says its commits recorded
 * ids in it. Found in review (2026-12-07, Redis losing data): the next run loaded no ids without a word, and a
 * producer's retry of an event processed seconds before was processed again. The ids cannot be had back; the loss is
 * now said (ERROR) and counted ({@code qt.streams.state.lost{what=dedupe_log}}).
 */
class LostTaskStateTest {

    private final org.springframework.data.redis.core.ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    private final String ns = RedisTestSupport.freshNamespace();
    private final EventPublisher publisher = new EventPublisher(redis, new StreamKeys(ns), StreamCatalog.defaults(), "test");
    private final StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("only").withBatchSize(10)
            .withLeaseTtl(Duration.ofSeconds(2));

    /** Runs the stateless test topology over ten ticks, to its last commit. */
    private void processTenTicks() {
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publisher.sendAll(RedisRestartEmptyTest.ticks(1, 10), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 10);
        }
    }

    /**
     * The meta hash lost (stream times, watermarks, commit sequence) while the dedupe log its commits wrote is there:
     * found in review (2026-12-07), windows closed before could emit a second final result without a word. Counted
     * ({@code qt.streams.state.lost{what=meta}}) with an ERROR.
     */
    @Test
    void aLostMetaHashIsCountedWhenTheTaskStarts() {
        processTenTicks();
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.contains(":meta:")) {
                redis.delete(k).block();   // the meta hash is lost; group, dedupe log and outputs are not
            }
        }
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.state.lost")
                    .tag("what", "meta").counters().stream().mapToDouble(c -> c.count()).sum() == 1);
        }
    }

    static io.quantumtrader.streams.dsl.Topology counting() {
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("state-lost");
        b.stream("ticks", Tick.class, io.quantumtrader.streams.dsl.Named.as("ticks-source"))
                .groupByKey()
                .count(io.quantumtrader.streams.dsl.Materialized.as("counts"));
        return b.build();
    }

    private static reactor.core.publisher.Flux<EventPublisher.Event> ticks(String symbol, int from, int to) {
        java.util.List<EventPublisher.Event> out = new java.util.ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            out.add(new EventPublisher.Event("ticks", symbol, new Tick(symbol, 100 + seq, seq), 1_700_000_000_000L + seq));
        }
        return reactor.core.publisher.Flux.fromIterable(out);
    }

    static double lost(StreamsRuntime runtime, String what) {
        return runtime.metrics().registry().find("qt.streams.state.lost").tag("what", what).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /**
     * A state store's hash deleted while the task ran (its in-memory cache goes on; its next commit writes only what it
     * changes): found in review (2026-12-07), the next run loaded what was left, a count of 10 going on as 1, without a
     * word. The commit that finds the hash cut notes it; the next start reports it once (ERROR,
     * {@code qt.streams.state.lost{what=store}}); so does a start that finds a hash cut while no task ran.
     */
    @Test
    void aStoreCutWhileTheTaskRanOrWhileItWasStoppedIsReportedOnceByTheNextStart() throws Exception {
        StreamKeys keys = new StreamKeys(ns);
        int partitions = StreamCatalog.defaults().spec("ticks").partitions();
        int p = io.quantumtrader.streams.redis.Partitioner.partition("SYM", partitions);
        String other = null;
        for (int i = 0; other == null; i++) {
            if (io.quantumtrader.streams.redis.Partitioner.partition("K" + i, partitions) == p) {
                other = "K" + i;
            }
        }
        String hash = keys.store("state-lost", "counts", p);
        try (StreamsRuntime runtime = new StreamsRuntime(counting(), config, redis)) {
            runtime.start();
            publisher.sendAll(ticks("SYM", 1, 10).concatWith(ticks(other, 11, 20)), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 20);
            redis.delete(hash).block();   // lost while the task runs
            publisher.sendAll(ticks("SYM", 21, 21), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 21);
            assertThat(lost(runtime, "store")).as("the running task does not know yet").isZero();
        }
        try (StreamsRuntime runtime = new StreamsRuntime(counting(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> lost(runtime, "store") == 1);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(counting(), config, redis)) {
            runtime.start();
            publisher.sendAll(ticks(other, 22, 22), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 1);
            assertThat(lost(runtime, "store")).as("reported once, by the start after the loss").isZero();
        }
        redis.opsForHash().delete(hash).block();   // lost while no task runs: the last commit left 2 fields
        try (StreamsRuntime runtime = new StreamsRuntime(counting(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> lost(runtime, "store") == 1);
        }
    }

    @Test
    void aLostDedupeLogIsCountedWhenTheTaskStarts() {
        processTenTicks();
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.records.in")
                    .counters().size() > 0 || runtime.counters().commits() >= 0);
            Thread.sleep(1500);
            assertThat(runtime.metrics().registry().find("qt.streams.state.lost").counters()).as("nothing lost").isEmpty();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.contains("dedupe")) {
                redis.delete(k).block();   // the dedupe log is lost; meta hash, group and outputs are not
            }
        }
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.state.lost")
                    .tag("what", "dedupe_log").counters().stream().mapToDouble(c -> c.count()).sum() == 1);
        }
    }
}
