package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed audit's failure, reproduced: a consumer group full of registered but dead consumers (some holding pending
 * entries) and a growing backlog. Health must go DOWN; a live instance must claim the dead consumers' entries, remove
 * the stale consumers and drain the backlog, after which health is UP.
 */
class SeedAuditFailureTest {

    @Test
    void deadConsumersAndABacklogTurnHealthDownUntilALiveInstanceCleansUpAndDrains() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(10, 200), 100).block();
        for (int i = 0; i < 34; i++) {
            // 34 consumers that died: 20 read an entry and never acknowledged it, 14 registered and never read
            if (i < 20) {
                template().opsForStream().read(Consumer.from("pricing.0", "dead-" + i), StreamReadOptions.empty().count(1),
                        StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
            } else {
                template().execute(org.springframework.data.redis.core.script.RedisScript.of(
                                "return redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], ARGV[2])", Long.class),
                        List.of(key), List.of("pricing.0", "dead-" + i)).blockLast();
            }
        }

        // another application's group on a catalog stream: 10,014 entries never delivered, 34 consumers long dead
        String orders = new StreamKeys(ns).stream("orders", 0);
        admin.ensureGroup(orders, "billing.0").block();
        for (int i = 0; i < 34; i++) {
            template().execute(org.springframework.data.redis.core.script.RedisScript.of(
                            "return redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], ARGV[2])", Long.class),
                    List.of(orders), List.of("billing.0", "gone-" + i)).blockLast();
        }
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(reactor.core.publisher.Flux.range(0, 10_014)
                .map(i -> new io.quantumtrader.streams.redis.EventPublisher.Event("orders", "O" + (i % 7), i, 1_700_000_000_000L + i)), 1000).block();
        // a catalog stream that holds entries and has no consumer group at all
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(reactor.core.publisher.Flux.range(0, 5)
                .map(i -> new io.quantumtrader.streams.redis.EventPublisher.Event("orphan", "K", i, 1_700_000_000_000L + i)), 5).block();
        StreamCatalog catalog = StreamCatalog.load(new java.io.ByteArrayInputStream("""
                defaults: { partitions: 1, maxlen: 0, retention: 30d }
                streams:
                  ticks:  { key: symbol }
                  priced: { key: symbol }
                  orders: { key: order }
                  orphan: { key: k }
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog).withStaleConsumerIdle(Duration.ofMillis(300));
        StreamsHealth.Thresholds thresholds = new StreamsHealth.Thresholds(1_000, Duration.ofSeconds(60), 5, Duration.ofMillis(300));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        StreamsHealth health = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(), thresholds, null)
                .withMeters(meters);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            StreamsHealth.Report r = health.check().block();
            assertThat(r.status()).isEqualTo(StreamsHealth.Status.DOWN);
            assertThat(r.sources().get("pricing.0/ticks/0")).containsEntry("staleConsumers", 34L)
                    .containsEntry("liveConsumers", 0L).containsEntry("pending", 20L);
            assertThat(r.problems()).anyMatch(p -> p.contains("no live consumer"))
                    .anyMatch(p -> p.contains("34 stale consumers > 5"))
                    .anyMatch(p -> p.contains("lag 1980 > 1000"));
            assertThat(r.observations()).as("another application's group and a stream nobody reads are seen")
                    .anyMatch(o -> o.contains("billing.0/orders/0") && o.contains("10014 entries unread") && o.contains("34 stale"))
                    .anyMatch(o -> o.contains("orphan/0: 5 entries and no consumer group"));
            assertThat(meters.get("qt.streams.group.lag").tag("group", "billing.0").gauge().value()).isEqualTo(10_014);
            assertThat(meters.get("qt.streams.group.consumers.stale").tag("group", "billing.0").gauge().value()).isEqualTo(34);
            assertThat(meters.get("qt.streams.stream.ungrouped.entries").tag("stream", "orphan").gauge().value()).isEqualTo(5);
        });

        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("live"), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().reclaimed()).as("the dead consumers' pending entries were claimed").isEqualTo(20);
            List<StreamAdmin.ConsumerInfo> consumers = admin.consumers(key, "pricing.0").block();
            assertThat(consumers).extracting(StreamAdmin.ConsumerInfo::name).containsExactly("live");
            // a quiet stream: the live consumer's XINFO idle time grows past the stale threshold, it stays live
            Thread.sleep(700);
            StreamsHealth.Report after = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config.withInstanceId("live"),
                    template(), thresholds, runtime::state).check().block();
            assertThat(after.status()).as("other applications' problems do not change this service's status").isEqualTo(StreamsHealth.Status.UP);
            assertThat(after.problems()).isEmpty();
            assertThat(after.sources().get("pricing.0/ticks/0")).containsEntry("liveConsumers", 1L).containsEntry("staleConsumers", 0L);
            assertThat(after.observations()).anyMatch(o -> o.startsWith("other application's group billing.0/orders/0"))
                    .anyMatch(o -> o.startsWith("orphan/0")).anyMatch(o -> o.startsWith("priced/0: 1600 entries and no consumer group"));
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("every tick processed once").isEqualTo(2000 - 400);
    }
}
