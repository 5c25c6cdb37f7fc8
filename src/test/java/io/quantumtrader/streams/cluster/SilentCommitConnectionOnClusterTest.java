package io.quantumtrader.streams.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SilentCommitConnectionTest on a Redis Cluster (three masters, each behind a proxy the nodes announce to clients):
 * every node connection of the commit connection goes silent (Redis runs the commits, no reply comes back; the nodes and
 * every other connection, new ones too, are fine). The first commit that times out replaces the whole cluster commit
 * connection, and the run drains. Before (found in the review of 2026-12-07, fixed 2026-12-07): only the one-server
 * commit connection was replaced; on a cluster each commit waited for the command timeout, its task restarted and sent
 * the next commits on the same silent node connections, for good. The command timeout here is 3 s.
 */
class SilentCommitConnectionOnClusterTest {

    @Test
    void aSilentClusterCommitConnectionIsReplacedAndTheRunDrains() throws Exception {
        int keys = 12;
        int perKey = 100;
        String ns = "silent" + System.nanoTime();
        try (TestCluster cluster = TestCluster.startBehindProxies(3);
             RedisConnection direct = cluster.connect()) {
            new EventPublisher(direct.template(), new StreamKeys(ns), ScaleOutTopology.CATALOG, "test")
                    .sendAll(Flux.fromIterable(ScaleOutTopology.events(keys, perKey)), 256).block();
            StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("silent")
                    .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
            LettuceConnectionFactory factory = factory(cluster);
            try {
                cluster.proxies().forEach(p -> p.markConnectionsSending("Commits one task batch atomically"));
                try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:5000"), config,
                        new ReactiveStringRedisTemplate(factory))) {
                    runtime.start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() > 0);
                    assertThat(cluster.proxies()).as("one commit connection per node")
                            .allSatisfy(p -> assertThat(p.markedConnections()).isEqualTo(1));
                    cluster.proxies().forEach(ReplyHoldingProxy::blackHoleMarked);
                    boolean drained = runtime.awaitDrained(Duration.ofSeconds(60));
                    assertThat(drained).as("drained within a minute (the nodes and new connections are fine); records in "
                            + "%d of %d, restarts %d", runtime.counters().recordsIn(), keys * perKey,
                            runtime.counters().restarts()).isTrue();
                    assertThat(ScaleOutTopology.checkSequences(direct.template(), ns, perKey)).as("every output once, in order").isEmpty();
                    assertThat(runtime.counters().recordsIn()).as("records counted in").isEqualTo((long) keys * perKey);
                    // replaced at its first timeout: each task with commits in flight on it restarted about once
                    assertThat(runtime.counters().restarts()).as("task restarts").isLessThanOrEqualTo(2L * ScaleOutTopology.PARTITIONS);
                }
            } finally {
                factory.destroy();
            }
        }
    }

    /** The application's cluster options (RedisConnection) with a 3 s command timeout. */
    private static LettuceConnectionFactory factory(TestCluster cluster) {
        ClusterClientOptions options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1)).dynamicRefreshSources(true).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(
                cluster.seeds().stream().map(Object::toString).toList()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(3)).clientOptions(options).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
