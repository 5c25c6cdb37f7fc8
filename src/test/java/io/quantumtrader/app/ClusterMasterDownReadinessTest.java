package io.quantumtrader.app;

import io.quantumtrader.streams.cluster.TestCluster;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness on a Redis Cluster with one master down and no replica to take over: every node refuses keyed commands
 * ({@code CLUSTERDOWN}) and no task can work, so the pod goes out of readiness after the bound, and comes back once
 * the master does. Before 2026-12-06 the probe was Spring's {@code ping()}, which one live node answered all along:
 * readiness stayed UP through the outage (the first assertion timed out). A 3-master cluster the test starts; the
 * master is killed by PID and started again on its port; real time, short bounds.
 */
class ClusterMasterDownReadinessTest {

    private static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(2);

    @Test
    void notReadyWhileAMasterIsDownAndReadyWhenItIsBack() {
        try (TestCluster cluster = TestCluster.start(3, 0)) {
            RedisConnection connection = cluster.connect();
            RedisReachability reachability = new RedisReachability(RedisPing.of(connection.template(), connection.isCluster()),
                    INTERVAL, UNREACHABLE_AFTER);
            reachability.start();
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> reachability.health().getStatus().equals(Status.UP));

                TestCluster.Node victim = cluster.nodes().get(1);
                cluster.kill(victim);
                await("not ready once a master has been down for the bound")
                        .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> reachability.health().getStatus().equals(Status.DOWN));
                assertThat(reachability.health().getDetails().get("error").toString())
                        .startsWith("Redis has not answered for ")
                        .containsAnyOf("cluster_state is fail", "127.0.0.1:" + victim.port() + " (slots ");

                cluster.restart(victim);
                await("ready again once the master is back")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> reachability.health().getStatus().equals(Status.UP));
            } finally {
                reachability.stop();
                connection.close();
            }
        }
    }

    /**
     * A master killed with a replica to take over: once the replica is promoted the probe passes again (the killed
     * master stays in the topology, failed and serving no slot, and is not probed), with the killed node still down.
     */
    @Test
    void readyAgainOnceAReplicaTookOverWithTheOldMasterStillDown() {
        try (TestCluster cluster = TestCluster.start(3, 1)) {
            RedisConnection connection = cluster.connect();
            java.util.function.Supplier<reactor.core.publisher.Mono<String>> probe = RedisPing.of(connection.template(), true);
            try {
                assertThat(probe.get().block(Duration.ofSeconds(5))).isEqualTo("PONG");
                TestCluster.Node master = cluster.masterOf("{probe}");
                cluster.kill(master);
                cluster.awaitHealthy(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> "PONG".equals(probe.get().block(Duration.ofSeconds(2))));
                assertThat(master.process().isAlive()).isFalse();
            } finally {
                connection.close();
            }
        }
    }

    /** One server: the probe is a plain PING (answered: UP). */
    @Test
    void aServerIsProbedWithPing() {
        var template = io.quantumtrader.streams.RedisTestSupport.template();
        assertThat(RedisPing.of(template, false).get().block(Duration.ofSeconds(5))).isEqualTo("PONG");
    }
}
