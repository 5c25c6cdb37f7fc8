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
    void deadConsumersAndABacklogTurnHealthDownUntilALiveInstanceCleansUpAndDrains() {
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

        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withStaleConsumerIdle(Duration.ofMillis(300));
        StreamsHealth.Thresholds thresholds = new StreamsHealth.Thresholds(1_000, Duration.ofSeconds(60), 5, Duration.ofMillis(300));
        StreamsHealth health = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(), thresholds, null);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            StreamsHealth.Report r = health.check().block();
            assertThat(r.status()).isEqualTo(StreamsHealth.Status.DOWN);
            assertThat(r.sources().get("pricing.0/ticks/0")).containsEntry("staleConsumers", 34L)
                    .containsEntry("liveConsumers", 0L).containsEntry("pending", 20L);
            assertThat(r.problems()).anyMatch(p -> p.contains("no live consumer"))
                    .anyMatch(p -> p.contains("34 stale consumers > 5"))
                    .anyMatch(p -> p.contains("lag 1980 > 1000"));
        });

        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("live"), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().reclaimed()).as("the dead consumers' pending entries were claimed").isEqualTo(20);
            List<StreamAdmin.ConsumerInfo> consumers = admin.consumers(key, "pricing.0").block();
            assertThat(consumers).extracting(StreamAdmin.ConsumerInfo::name).containsExactly("live");
            StreamsHealth.Report after = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(), thresholds,
                    runtime::state).check().block();
            assertThat(after.status()).isEqualTo(StreamsHealth.Status.UP);
            assertThat(after.problems()).isEmpty();
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("every tick processed once").isEqualTo(2000 - 400);
    }
}
