package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ExhaustedStreamIdsTest} on a Redis Cluster (3 masters; reads are {@code read-group.lua}): same expectations.
 * And the outbox: outputs for another slot are committed to the task's outbox and appended by forward.lua, which
 * refuses before its first write when a target's entry ids are used up (before, it appended the outputs to the targets
 * before that one at every forward).
 */
@OnConformanceCluster
class ExhaustedStreamIdsOnClusterTest extends ExhaustedStreamIdsTest {

    @Test
    void aForwardIntoAStreamWithItsIdsUsedUpAppendsNothingAndStopsItsTaskWithTheReason() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        // x-in has one partition (the task's slot, {ns.0}); x-a and x-b two: key k's outputs go to partition 1's slot
        String key = "k";
        for (int i = 0; Partitioner.partition(key, 2) != 1; i++) {
            key = "k" + i;
        }
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("x-a", new StreamSpec("x-a", null, 2, 0, null), "x-b", new StreamSpec("x-b", null, 2, 0, null)));
        String xb = keys.stream("x-b", 1);
        exhaust(redis, xb);
        RedisTestSupport.publisher(ns, catalog).sendAll(Flux.just(new Event("x-in", key, "v1", 1_000_000_000_000L, "e-1")), 10)
                .block(Duration.ofSeconds(30));
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog);
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR
                    || runtime.counters().restarts() >= 3);
            assertThat(RedisTestSupport.length(ns, "x-a", 1)).as("nothing forwarded to x-a").isZero();
            assertThat(RedisTestSupport.length(ns, "x-b", 1)).as("only the foreign entry").isEqualTo(1);
            assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
            assertThat(runtime.group().failing().values())
                    .anyMatch(cause -> cause.contains(xb) && cause.contains("used up its entry ids"));
        }

        redis.delete(xb).block(Duration.ofSeconds(30));
        try (StreamsRuntime fixed = new StreamsRuntime(topology(), config, redis)) {
            fixed.start();
            assertThat(fixed.awaitDrained(Duration.ofSeconds(20))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "x-b", 1) == 1);
        }
        assertThat(RedisTestSupport.values(ns, "x-a", 1, String.class)).containsExactly("v1-a");
        assertThat(RedisTestSupport.values(ns, "x-b", 1, String.class)).containsExactly("v1-b");
    }
}
