package io.quantumtrader.streams.runtime;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.cluster.TestCluster;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): {@link GlobalReplicaFailoverLossTest} on a real 3-master/3-replica cluster. The replica of the master
 * holding a global table's (trimmed) stream partition is stopped (SIGSTOP by PID), an entry is appended and read by a
 * running GlobalStoreReplica, the master is killed (SIGKILL) and the replica resumed: it takes over without that entry.
 * A producer appends once more. The running replica should hold what the stream holds (what a task started now reads).
 */
class GlobalReplicaFailoverOnClusterTest {

    private static final Duration T = Duration.ofSeconds(10);

    record Limit(String symbol, double max) {
    }

    @Test
    void aRunningReplicaKeepsAnEntryTheFailoverLost() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, 1); RedisConnection redis = cluster.connect()) {
            ReactiveStringRedisTemplate t = redis.template();
            String ns = "rv" + UUID.randomUUID().toString().substring(0, 8);
            String key = new StreamKeys(ns).stream("limits", 0);
            for (int i = 0; i < 3; i++) {
                add(t, key, "OLD" + i, i);
            }
            t.opsForStream().trim(key, 0).block(T);   // retention trimmed these
            add(t, key, "A", 10);
            TestCluster.Node master = cluster.masterOf(key);
            String masterId = cluster.sync(master, c -> c.clusterMyId());
            TestCluster.Node replicaNode = cluster.live().stream()
                    .filter(n -> cluster.sync(n, c -> c.clusterNodes()).lines()
                            .anyMatch(l -> l.contains("myself") && l.contains("slave " + masterId)))
                    .findFirst().orElseThrow();
            cluster.sync(master, c -> c.waitForReplication(1, 2000));

            GlobalStoreReplica running = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                    new JsonSerde<>(Limit.class)), t, new StreamKeys(ns), StreamCatalog.defaults(), (s, e, r) -> {
            }, IngestLimits.defaults(), Duration.ZERO);
            running.refresh().block(T);
            assertThat(running.all()).containsOnlyKeys("A");

            signal("STOP", replicaNode.pid());
            try {
                // the replication link is cut while the replica is stopped: what follows never reaches it
                cluster.sync(master, c -> c.clientKill(io.lettuce.core.KillArgs.Builder.typeSlave()));
                add(t, key, "LOST", 20);
                running.refresh().block(T);
                assertThat(running.all()).containsOnlyKeys("A", "LOST");
                cluster.kill(master);
            } finally {
                signal("CONT", replicaNode.pid());
            }
            TestCluster.waitFor("the replica takes over", Duration.ofSeconds(40), () -> cluster.sync(replicaNode,
                    c -> c.info("replication")).contains("role:master"));
            cluster.awaitHealthy(Duration.ofSeconds(40));
            TestCluster.waitFor("an append to the new master", Duration.ofSeconds(40), () -> {
                try {
                    add(t, key, "B", 30);
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            TestCluster.waitFor("a refresh", Duration.ofSeconds(40), () -> {
                try {
                    running.refresh().block(T);
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            GlobalStoreReplica fresh = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                    new JsonSerde<>(Limit.class)), t, new StreamKeys(ns), StreamCatalog.defaults());
            fresh.refresh().block(T);
            assertThat(fresh.all()).as("the stream on the new master").containsOnlyKeys("A", "B");
            assertThat(running.all()).as("the running replica holds what the stream holds (the entry the failover "
                    + "lost is gone from it, as from every replica started now)").containsOnlyKeys("A", "B");
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    private static void add(ReactiveStringRedisTemplate t, String key, String symbol, double max) {
        Map<String, String> fields = CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops",
                "e-" + UUID.randomUUID(), symbol, new Limit(symbol, max), 1_700_000_000_000L, null));
        t.opsForStream().add(MapRecord.create(key, fields)).block(T);
    }
}
