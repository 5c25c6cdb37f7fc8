package io.quantumtrader.streams.runtime;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.cluster.ConformanceCluster;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that evicts keys of any kind when full ({@code maxmemory-policy allkeys-*}) could delete streams and state
 * without a trace: the runtime says so when it starts (ERROR log and a CRITICAL alert on {@code system.alert.triggered}),
 * on a server of its own and on every master of a Redis Cluster; with {@code noeviction} or a {@code volatile-*}
 * policy it says nothing.
 */
class EvictionPolicyCheckTest {

    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void aRuntimeOnARedisThatEvictsAnyKeyRaisesACriticalAlertAtStart() {
        try (RedisConnection own = RedisConnection.embedded()) {
            ReactiveStringRedisTemplate redis = own.template();
            setPolicy(redis, "allkeys-lru");
            String ns = RedisTestSupport.freshNamespace();
            try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns), redis)) {
                runtime.start();
                await().atMost(T).until(() -> alerts(redis, ns).stream()
                        .anyMatch(a -> a.contains("maxmemory-policy allkeys-lru") && a.contains("noeviction")));
            }
            for (String harmless : List.of("volatile-lru", "noeviction")) {
                setPolicy(redis, harmless);
                String quiet = RedisTestSupport.freshNamespace();
                try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(quiet), redis)) {
                    runtime.start();
                    assertThat(runtime.awaitDrained(T)).isTrue();
                }
                assertThat(alerts(redis, quiet)).as(harmless).isEmpty();
            }
        }
    }

    /**
     * The policy set to {@code allkeys-lru} after the start: found in review (2026-12-08), the runtime checked at start
     * only and Redis could then evict streams and state without a word. The watch (every minute in a runtime) says each
     * change to an evicting policy once, and {@code qt.streams.redis.evicting} shows it.
     */
    @Test
    void aPolicyChangedWhileTheRuntimeRunsIsSaidOnceAndShownByAGauge() {
        try (RedisConnection own = RedisConnection.embedded()) {
            ReactiveStringRedisTemplate redis = own.template();
            List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
            EvictionPolicyWatch watch = new EvictionPolicyWatch(redis, said::add, List.of(), false);
            assertThat(watch.evicting()).as("not read yet").isNaN();
            watch.checkOnce().block(T);
            assertThat(said).isEmpty();
            assertThat(watch.evicting()).isZero();

            setPolicy(redis, "allkeys-lru");
            watch.checkOnce().block(T);
            watch.checkOnce().block(T);
            assertThat(said).as("said once").hasSize(1);
            assertThat(said.get(0)).contains("maxmemory-policy allkeys-lru", "noeviction");
            assertThat(watch.evicting()).isEqualTo(1);

            setPolicy(redis, "noeviction");
            watch.checkOnce().block(T);
            assertThat(watch.evicting()).isZero();
            setPolicy(redis, "allkeys-lfu");
            watch.checkOnce().block(T);
            assertThat(said).as("a new change said again").hasSize(2);

            String ns = RedisTestSupport.freshNamespace();
            try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns), redis)) {
                runtime.start();
                assertThat(runtime.metrics().registry().find("qt.streams.redis.evicting").gauge().value())
                        .as("the start's reading in the gauge").isEqualTo(1.0);
            }
        }
    }

    @Test
    void everyMasterOfAClusterIsAsked() {
        ConformanceCluster.use();
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        try {
            assertThat(EvictionPolicyCheck.evictingPolicies(redis).block(T)).isEmpty();
            setPolicy(redis, "allkeys-lfu");
            assertThat(EvictionPolicyCheck.evictingPolicies(redis).block(T)).containsExactly("allkeys-lfu");
        } finally {
            setPolicy(redis, "noeviction");
            ConformanceCluster.release();
        }
    }

    private static void setPolicy(ReactiveStringRedisTemplate redis, String policy) {
        redis.execute(c -> c.serverCommands().setConfig("maxmemory-policy", policy)).blockLast(T);
    }

    private static List<String> alerts(ReactiveStringRedisTemplate redis, String ns) {
        return redis.opsForStream().range(new StreamKeys(ns).stream("system.alert.triggered", 0), Range.unbounded())
                .map(r -> String.valueOf(r.getValue()))
                .collectList().block(T);
    }

    private static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("evict");
        b.stream("ticks", Tick.class, Named.as("ticks-source")).to("copies", Named.as("copies-sink"));
        return b.build();
    }
}
