package io.quantumtrader.streams.cluster;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.cluster.SlotHash;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.ClusterCommitConnection;
import io.quantumtrader.streams.redis.CommitDurability;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commit durability ({@code WAIT 1}) on a Redis Cluster while a slot moves between masters: the WAIT must go to the
 * master that applied the commit, not to the master of the client's slot map. Before the fix a commit that an
 * {@code ASK} (slot migrating) or a {@code MOVED} (slot moved, map not yet refreshed) sent to the other master was
 * applied there, while its WAIT went to the old master, which counted its own replica for a connection that had
 * written nothing new there and answered 1 at once: the commit counted as replicated though the replica of the master
 * holding it was stopped (SIGSTOP). Two masters, one replica each; the test moves the slot itself (CLUSTER SETSLOT,
 * MIGRATE), as {@code redis-cli --cluster reshard} does.
 */
class ClusterCommitDurabilityTest {

    private static final String KEY = "{durable}k";
    private static final byte[] SET = "redis.call('SET', KEYS[1], ARGV[1]) return 1".getBytes(StandardCharsets.UTF_8);

    @Test
    void aCommitRedirectedToAnotherMasterIsCountedOnlyWhenThatMastersReplicaHasIt() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, 1);
             RedisConnection redis = cluster.connect()) {
            redirectedCommits(cluster, redis);
        }
    }

    private static void redirectedCommits(TestCluster cluster, RedisConnection redis) throws Exception {
        int slot = SlotHash.getSlot(KEY);
        TestCluster.Node source = cluster.masterOf(KEY);
        List<TestCluster.Node> nodes = cluster.nodes();
        TestCluster.Node target = nodes.get(0).equals(source) ? nodes.get(1) : nodes.get(0);
        TestCluster.Node targetReplica = nodes.get(2 + nodes.indexOf(target)); // TestCluster: replica r serves master r % 2
        String sourceId = cluster.sync(source, c -> c.clusterMyId());
        String targetId = cluster.sync(target, c -> c.clusterMyId());
        assertThat(cluster.<String>sync(targetReplica, c -> c.info("replication"))).contains("role:slave");

        try (ClusterCommitConnection commits = ClusterCommitConnection.open(redis.template()).orElseThrow()) {
            CommitDurability durability = new CommitDurability(commits, 1, Duration.ofMillis(1_500));
            assertThat(set(durability, commits, "v1")).as("with every replica running").isEqualTo(1L);

            // the slot migrating, its key already at the target: the source answers ASK
            cluster.sync(target, c -> c.clusterSetSlotImporting(slot, sourceId));
            cluster.sync(source, c -> c.clusterSetSlotMigrating(slot, targetId));
            cluster.sync(source, c -> c.migrate("127.0.0.1", target.port(), 0, 5_000, MigrateArgs.Builder.keys(KEY)));
            assertNotReplicated(durability, commits, "v2", targetReplica, "applied by the target after ASK; its replica is stopped");
            assertThat(cluster.<String>sync(target, c -> {
                c.asking();
                return c.get(KEY);
            })).as("the write went to the target").isEqualTo("v2");
            assertThat(set(durability, commits, "v3")).as("ASK followed, the target's replica running").isEqualTo(1L);

            // the slot moved: the client's slot map still names the source, which answers MOVED
            for (TestCluster.Node master : List.of(target, source)) {
                cluster.sync(master, c -> c.clusterSetSlotNode(slot, targetId));
            }
            assertNotReplicated(durability, commits, "v4", targetReplica, "applied by the target after MOVED; its replica is stopped");
            assertThat(cluster.<String>sync(target, c -> c.get(KEY))).isEqualTo("v4");
            assertThat(set(durability, commits, "v5")).as("the new master, its replica running").isEqualTo(1L);
            assertThat(cluster.<String>sync(target, c -> c.get(KEY))).isEqualTo("v5");
        }
    }

    /** Writes {@code value} with {@code replica} stopped (SIGSTOP): the write must not count as replicated. */
    private static void assertNotReplicated(CommitDurability durability, ClusterCommitConnection commits, String value,
                                            TestCluster.Node replica, String why) throws Exception {
        signal(replica, "STOP");
        try {
            assertThatThrownBy(() -> set(durability, commits, value)).as(why)
                    .isInstanceOf(CommitDurability.CommitNotReplicatedException.class)
                    .hasMessageContaining("reached 0 of 1");
        } finally {
            signal(replica, "CONT");
        }
    }

    /** A durable script write of {@code value} to {@link #KEY}: the commit's path (EVALSHA, EVAL on NOSCRIPT, WAIT). */
    private static Long set(CommitDurability durability, ClusterCommitConnection commits, String value) {
        return durability.durable(commits.eval("0".repeat(40), SET, new byte[][]{KEY.getBytes(StandardCharsets.UTF_8)},
                new byte[][]{value.getBytes(StandardCharsets.UTF_8)})).block(Duration.ofSeconds(20));
    }

    /** Sends {@code signal} to a node process this test started (by its PID). */
    private static void signal(TestCluster.Node node, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).start().waitFor()).isZero();
    }
}
