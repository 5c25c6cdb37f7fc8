package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.script.RedisScript;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule for a live consumer, as docs/OPERATIONS.md "Health" states it: a consumer of this topology's groups is live
 * when its instance is a live member of {@code <ns>:members}, or it is this instance and the local runtime is running;
 * XINFO idle is not used for them. Only a consumer of another application's group is judged by its idle time. Before
 * (found in review, 2026-12-06), a consumer of our own group whose instance had died and been removed from the members
 * fell through to the idle rule and counted as live for up to {@code stale-consumer-idle} (5 min) after its last read,
 * and this instance's own consumer counted as stale, runtime running, once its member entry had expired. Idle times
 * here are all far below the threshold (1 h), so membership alone decides.
 */
class LiveConsumerRuleTest {

    private static final StreamCatalog CATALOG = StreamCatalog.load(new java.io.ByteArrayInputStream("""
            defaults: { partitions: 1, maxlen: 0, retention: 30d }
            streams:
              ticks:  { key: symbol }
              priced: { key: symbol }
              orders: { key: order }
            """.getBytes(StandardCharsets.UTF_8)));
    private static final StreamsHealth.Thresholds IDLE_AN_HOUR =
            new StreamsHealth.Thresholds(1_000, Duration.ofSeconds(60), 5, Duration.ofHours(1));

    @Test
    void ownGroupConsumersAreJudgedByMembershipAndOtherApplicationsByIdleTime() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String ticks = keys.stream("ticks", 0);
        String orders = keys.stream("orders", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(ticks, "pricing.0").block();
        admin.ensureGroup(orders, "billing.0").block();
        long now = System.currentTimeMillis();
        template().opsForZSet().add(keys.members(), "pod-live", now + 3_600_000).block();
        template().opsForZSet().add(keys.members(), "pod-expired", 1).block();
        for (String consumer : List.of("pod-live", "pod-expired", "pod-removed", "pod-left")) { // no member any more: removed, left
            createConsumer(ticks, "pricing.0", consumer);
        }
        for (String consumer : List.of("pod-expired", "pod-removed")) {   // they died holding an entry each
            template().opsForStream().add(ticks, java.util.Map.of("n", consumer)).block();
            template().opsForStream().read(org.springframework.data.redis.connection.stream.Consumer.from("pricing.0", consumer),
                    org.springframework.data.redis.connection.stream.StreamReadOptions.empty().count(1),
                    org.springframework.data.redis.connection.stream.StreamOffset.create(ticks,
                            org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed())).blockLast();
        }
        createConsumer(orders, "billing.0", "billing-worker");

        StreamsHealth.Report r = new StreamsHealth(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withInstanceId("checker"), template(),
                IDLE_AN_HOUR, null).check().block(Duration.ofSeconds(10));

        assertThat(r.sources().get("pricing.0/ticks/0")).as("own group: only the live member is live; the dead holding "
                        + "entries are stale, one that left holding nothing waits for the cleanup")
                .containsEntry("liveConsumers", 1L).containsEntry("staleConsumers", 2L).containsEntry("departedConsumers", 1L);
        assertThat(r.sources().get("billing.0/orders/0")).as("another application's group: idle below the threshold")
                .containsEntry("liveConsumers", 1L).containsEntry("staleConsumers", 0L);
    }

    @Test
    void thisInstancesConsumerIsLiveWhileItsRuntimeRunsEvenWithItsMemberEntryExpired() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String ticks = keys.stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(ticks, "pricing.0").block();
        template().opsForZSet().add(keys.members(), "self", 1).block(); // its heartbeat is late
        createConsumer(ticks, "pricing.0", "self");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withInstanceId("self");

        StreamsHealth.Report running = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(),
                IDLE_AN_HOUR, () -> RuntimeState.RUNNING).check().block(Duration.ofSeconds(10));
        StreamsHealth.Report stopped = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(),
                IDLE_AN_HOUR, () -> RuntimeState.NOT_RUNNING).check().block(Duration.ofSeconds(10));

        assertThat(running.sources().get("pricing.0/ticks/0")).containsEntry("liveConsumers", 1L);
        assertThat(stopped.sources().get("pricing.0/ticks/0")).as("not running, member entry expired, holding nothing")
                .containsEntry("liveConsumers", 0L).containsEntry("staleConsumers", 0L).containsEntry("departedConsumers", 1L);
    }

    private static void createConsumer(String stream, String group, String consumer) {
        template().execute(RedisScript.of("return redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], ARGV[2])", Long.class),
                List.of(stream), List.of(group, consumer)).blockLast();
    }
}
