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

    /**
     * A commit's WAIT proves nothing when the connection that applied the commit was lost before the WAIT's reply, and
     * the commit fails as not replicated; a loss of another master's connection says nothing about it. Before
     * 2026-12-05 19:10 the cluster commit connection counted a loss of any of the client's connections (another node's,
     * the template's), so during one master's failover every commit with WAIT in flight on the other masters failed
     * too and restarted its task.
     */
    @Test
    void onlyALossOfTheConnectionThatAppliedTheCommitFailsItsWait() {
        String otherKey = "{other}k";
        try (TestCluster cluster = TestCluster.start(2, 1);
             RedisConnection redis = cluster.connect();
             ClusterCommitConnection commits = ClusterCommitConnection.open(redis.template()).orElseThrow()) {
            TestCluster.Node master = cluster.masterOf(KEY);
            TestCluster.Node other = cluster.nodes().get(0).equals(master) ? cluster.nodes().get(1) : cluster.nodes().get(0);
            if (cluster.masterOf(otherKey).equals(master)) {
                otherKey = "{another}k";
            }
            assertThat(cluster.masterOf(otherKey)).as("a key of the other master").isEqualTo(other);
            CommitDurability durability = new CommitDurability(commits, 1, Duration.ofMillis(1_500));
            assertThat(durability.durable(write(commits, otherKey, "v0")).block(Duration.ofSeconds(20)))
                    .as("the commit connection has a connection to the other master").isEqualTo(1L);

            assertThat(durability.durable(write(commits, KEY, "v1").flatMap(r -> killClientsOf(cluster, other, commits).thenReturn(r)))
                    .block(Duration.ofSeconds(20))).as("the other master's connections lost between the commit and its WAIT")
                    .isEqualTo(1L);
            assertThatThrownBy(() -> durability.durable(write(commits, KEY, "v2")
                    .flatMap(r -> killClientsOf(cluster, master, commits).thenReturn(r))).block(Duration.ofSeconds(20)))
                    .as("the connection that applied the commit lost before its WAIT's reply: never counted as replicated")
                    // the WAIT re-sent on the new connection (its reply proves nothing), or refused while the node
                    // connection is down (a slow machine, 2026-12-05): either way the commit fails and its task restarts
                    .satisfiesAnyOf(
                            e -> assertThat(e).isInstanceOf(CommitDurability.CommitNotReplicatedException.class)
                                    .hasMessageContaining("connection was lost"),
                            e -> assertThat(e).isInstanceOf(io.lettuce.core.RedisException.class)
                                    .hasMessageContaining("not connected"));
            org.awaitility.Awaitility.await("a commit replicated after the reconnect").atMost(Duration.ofSeconds(20))
                    .ignoreExceptions().until(() -> durability.durable(write(commits, KEY, "v3")).block(Duration.ofSeconds(10)) == 1L);
        }
    }

    /** Closes every client connection of {@code node} (CLIENT KILL TYPE normal) and waits until the commit connection's client saw a loss. */
    private static reactor.core.publisher.Mono<Void> killClientsOf(TestCluster cluster, TestCluster.Node node, ClusterCommitConnection commits) {
        return reactor.core.publisher.Mono.<Void>fromRunnable(() -> {
            long before = commits.connectionsLost();
            assertThat(cluster.<Long>sync(node, c -> c.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal()))).isPositive();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commits.connectionsLost() > before);
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
    }

    private static reactor.core.publisher.Mono<Long> write(ClusterCommitConnection commits, String key, String value) {
        return commits.eval("0".repeat(40), SET, new byte[][]{key.getBytes(StandardCharsets.UTF_8)},
                new byte[][]{value.getBytes(StandardCharsets.UTF_8)});
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
