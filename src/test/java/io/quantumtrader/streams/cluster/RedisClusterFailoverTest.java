package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover: a master of a 3-master/3-replica cluster is killed (SIGKILL by PID) while the topology of
 * {@link RedisClusterTest} runs with commit durability {@code WAIT 1}; its replica takes over (cluster-node-timeout
 * 1 s) and the killed node is started again (it rejoins as the new master's replica, as a restarted pod would); the
 * runtime follows the new topology and finishes, and every output is there exactly once: nothing a commit
 * acknowledged was lost, nothing was duplicated.
 */
class RedisClusterFailoverTest {

    static TestCluster cluster;
    static RedisConnection redis;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3, 1);
        redis = cluster.connect();
        RedisClusterTest.cluster = cluster;
        RedisClusterTest.redis = redis;
    }

    @AfterAll
    static void stopCluster() {
        RedisClusterTest.cluster = null;
        RedisClusterTest.redis = null;
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMasterKilledMidStreamIsReplacedByItsReplicaAndWithWait1NothingIsLostOrDuplicated() {
        String ns = RedisClusterTest.namespaceOnAllMasters();
        new EventPublisher(redis.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test")
                .sendAll(RedisClusterTest.ticks(), 64).block();
        awaitReplicasInSync();
        TestCluster.Node victim = cluster.masterOf(new StreamKeys(ns).stream("ticks", 0));
        try (StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(), RedisClusterTest.config(ns, "solo")
                .withBatchSize(5), redis.template()).withCommitOptions(CommitOptions.defaults().withWait(1, Duration.ofSeconds(2)))) {
            runtime.start();
            int total = RedisClusterTest.SYMBOLS * RedisClusterTest.PER_SYMBOL;
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() >= total / 4);
            assertThat(runtime.counters().recordsIn()).as("killed mid-stream").isLessThan(total);
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            TestCluster.waitFor("a replica takes over", Duration.ofSeconds(30),
                    () -> cluster.masterOf(new StreamKeys(ns).stream("ticks", 0)).port() != victim.port());
            cluster.awaitHealthy(Duration.ofSeconds(30));
            System.out.printf("failover: replica promoted %d ms after the master was killed; %d of %d records in by then%n",
                    (System.nanoTime() - killedAt) / 1_000_000, runtime.counters().recordsIn(), total);
            // WAIT 1 holds commits of the promoted master (it has no replica now) until the killed node is back: as
            // min.insync.replicas in Kafka, durability is not traded for progress
            cluster.restart(victim);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("processing resumed and finished").isTrue();
            System.out.printf("failover: drained %d ms after the kill; %d task restarts%n",
                    (System.nanoTime() - killedAt) / 1_000_000, runtime.counters().restarts());
        }
        RedisClusterTest.assertExactlyOnce(ns);
    }

    /** Waits until every replica has everything its master has (the inputs were published without WAIT). */
    private static void awaitReplicasInSync() {
        Pattern offset = Pattern.compile("master_repl_offset:(\\d+)");
        Pattern replica = Pattern.compile("slave0:.*offset=(\\d+)");
        TestCluster.waitFor("replicas in sync", Duration.ofSeconds(10), () -> cluster.live().stream().allMatch(n -> {
            String info = cluster.sync(n, c -> c.info("replication"));
            if (!info.contains("role:master")) {
                return true;
            }
            Matcher m = offset.matcher(info);
            Matcher r = replica.matcher(info);
            return m.find() && r.find() && m.group(1).equals(r.group(1));
        }));
    }
}
