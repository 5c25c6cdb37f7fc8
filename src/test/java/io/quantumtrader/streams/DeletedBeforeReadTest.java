package io.quantumtrader.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input entries deleted from their stream before the consumer group read them (a producer's MAXLEN, XTRIM, XDEL while
 * the group lagged) are not lost silently: the read that would go past them dead-letters one entry naming how many
 * and where, and the task counts them ({@code qt.streams.input.deleted.unread}); once, however often it reads again.
 * Entries trimmed before the group existed are not the group's loss. Real Redis; the standalone transaction read
 * and the script read ({@code read-group.lua}, the Redis Cluster's) both.
 */
class DeletedBeforeReadTest {

    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void entriesTrimmedBeforeTheGroupReadThemAreDeadLetteredOnceCountedAndTheRestProcessed() {
        String ns = RedisTestSupport.freshNamespace();
        String key = groupThenTicks(ns, 10);
        assertThat(template().opsForStream().trim(key, 4).block(T)).isEqualTo(6);   // seq 1..6, never read

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template(), meters)) {
            runtime.start();
            assertThat(runtime.awaitDrained(T)).isTrue();
            // more input, more reads (and empty reads while idle): the trim is not reported again
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 14).skip(10), 10).block(T);
            assertThat(runtime.awaitDrained(T)).isTrue();
            assertThat(runtime.counters().deadLettered()).isEqualTo(1);
        }
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement().satisfies(f -> assertThat(f)
                .containsEntry("error.class", "EntriesDeletedBeforeRead")
                .containsEntry("error.reason", "deleted_before_read")
                .containsEntry("error.deleted_count", "6")
                .containsEntry("error.deleted_after_id", "0-0")
                .containsEntry("error.stream", "ticks")
                .containsEntry("error.stage", "pricing.0")
                .containsEntry("error.task", "0_0"));
        assertThat(meters.get("qt.streams.input.deleted.unread").tag("stream", "ticks").counter().count()).isEqualTo(6.0);
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                .containsExactly(7L, 8L, 9L, 11L, 12L, 13L, 14L);

        // the task's next owner starts counting from the group's totals in Redis: the loss is not counted again
        SimpleMeterRegistry next = new SimpleMeterRegistry();
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns).withInstanceId("next"), template(), next)) {
            runtime.start();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 16).skip(14), 10).block(T);
            assertThat(runtime.awaitDrained(T)).isTrue();
            assertThat(runtime.counters().deadLettered()).isZero();
        }
        assertThat(next.get("qt.streams.input.deleted.unread").tag("stream", "ticks").counter().count()).isZero();
        assertThat(RedisTestSupport.length(ns, "ticks.dlq", 0)).isEqualTo(1);
    }

    @Test
    void entriesTrimmedBeforeTheGroupExistedAreNotItsLoss() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block(T);
        template().opsForStream().trim(key, 4).block(T);
        template().opsForStream().delete(key, lastId(key)).block(T);   // seq 10, deleted by hand before the group too

        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();   // creates the group
            assertThat(runtime.awaitDrained(T)).isTrue();
            assertThat(runtime.counters().deadLettered()).isZero();
        }
        assertThat(RedisTestSupport.length(ns, "ticks.dlq", 0)).isZero();
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                .containsExactly(7L, 8L, 9L);
    }

    @Test
    void anUnreadEntryDeletedByHandIsReportedOnceThoughTheGroupCannotReadPastIt() {
        String ns = RedisTestSupport.freshNamespace();
        String key = groupThenTicks(ns, 4);
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(T)).isTrue();
        }
        // the group has read seq 1..4; seq 5 and 6 arrive and the newest is deleted before the group reads it
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 6).skip(4), 10).block(T);
        template().opsForStream().delete(key, lastId(key)).block(T);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template(), meters)) {
            runtime.start();
            assertThat(runtime.awaitDrained(T)).isTrue();
            sleep(1_000);   // idle reads, each of which looks again
            assertThat(runtime.counters().deadLettered()).isEqualTo(1);
        }
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement().satisfies(f -> assertThat(f)
                .containsEntry("error.class", "EntriesDeletedBeforeRead")
                .containsEntry("error.deleted_count", "unknown"));
        assertThat(meters.get("qt.streams.input.deleted.unread").counter().count()).isEqualTo(1.0);
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                .containsExactly(1L, 2L, 3L, 4L);   // 5 is filtered, 6 was deleted
    }

    /** The script read ({@code read-group.lua}: a Redis Cluster's, and a reader without a dedicated connection). */
    @Test
    void theScriptReadReportsTheSameOnce() {
        String ns = RedisTestSupport.freshNamespace();
        String key = groupThenTicks(ns, 10);
        String lease = new StreamKeys(ns).lease("pricing.0", 0);
        template().opsForStream().trim(key, 3).block(T);
        template().opsForValue().set(lease, "7").block(T);

        List<String> reported = new CopyOnWriteArrayList<>();
        PartitionReader reader = new PartitionReader(template(), "pricing.0", "c1", Map.of(key, "ticks"), 0, 2,
                Duration.ofMillis(5), Duration.ofMillis(20), lease, "7")
                .reportDeletedUnread("0_0", Map.of(), (stream, n) -> reported.add(stream + ":" + n));
        List<String> seqs = reader.receive().take(3).map(e -> e.id()).collectList().block(T);
        reader.stop();
        assertThat(seqs).hasSize(3);
        assertThat(reported).containsExactly("ticks:7");
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement().satisfies(f -> assertThat(f)
                .containsEntry("error.deleted_count", "7")
                .containsEntry("error.task", "0_0"));
        assertThat(template().opsForStream().groups(key).blockFirst(T).lastDeliveredId())
                .isEqualTo(lastId(key));
    }

    /** @return the key of partition 0 of "ticks" in {@code ns}, after the pricing group was created on it and seq 1..n published */
    private static String groupThenTicks(String ns, int n) {
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "pricing.0").block(T);
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, n), 10).block(T);
        return key;
    }

    private static String lastId(String key) {
        return template().opsForStream().reverseRange(key, Range.unbounded()).blockFirst(T).getId().getValue();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
