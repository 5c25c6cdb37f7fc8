package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code WAIT 1} a batch counts as committed ("meters, the next commit, the forward") only once a replica holds
 * it, and forwarded outputs suffer neither loss nor duplicate in a failover: a forward first makes the outbox's commits
 * durable on the producer's master (OutboxForwarder.producerDurable), and forwards nothing while its replica lags.
 * Found in review (2026-12-07): a commit whose WAIT failed was forwarded anyway by the restarted run's
 * {@code forwardOutbox} (and any background forward read the whole outbox); when the producer's master then failed
 * over to its lagging replica, the commit was gone there, its input was processed again and its outputs forwarded a
 * second time (240 outputs for 200 records).
 */
class ForwardOfUnreplicatedCommitTest {

    static final int PARTITIONS = 4;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, PARTITIONS, 0, null), Map.of());
    static final String SYMBOL = "SYM0";

    /** A key of the partition whose hash tag differs from the producer's in bit 1 (CRC16: slots differ in bit 13). */
    static String target() {
        int p = Partitioner.partition(SYMBOL, PARTITIONS);
        for (int i = 0; ; i++) {
            if (Partitioner.partition("T" + i, PARTITIONS) == (p ^ 2)) {
                return "T" + i;
            }
        }
    }

    static Topology topology() {
        String to = target();
        TopologyBuilder b = new TopologyBuilder("xwait");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .map((k, v) -> KeyValue.pair(to, v), Named.as("rekey"))
                .to("buckets");
        return b.build();
    }

    static StreamsConfig config(String ns, String id) {
        return StreamsConfig.defaults().withNamespace(ns).withInstanceId(id).withCatalog(CATALOG).withBatchSize(20)
                .withLeaseTtl(Duration.ofSeconds(2));
    }

    static Flux<EventPublisher.Event> ticks(int from, int to) {
        List<EventPublisher.Event> events = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            events.add(new EventPublisher.Event("ticks", SYMBOL, new Tick(SYMBOL, 100, seq), 1_700_000_000_000L + seq,
                    SYMBOL + "/" + seq));
        }
        return Flux.fromIterable(events);
    }

    @Test
    @Timeout(240)
    void anOutputOfACommitNoReplicaHeldIsNotForwardedTwiceAfterAFailover() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, 1)) {
            String ns = null;
            StreamKeys keys = null;
            int p = Partitioner.partition(SYMBOL, PARTITIONS);
            int q = Partitioner.partition(target(), PARTITIONS);
            for (int i = 0; ns == null && i < 200; i++) {
                String candidate = RedisTestSupport.freshNamespace();
                StreamKeys k = new StreamKeys(candidate);
                if (!cluster.masterOf(k.stream("ticks", p)).equals(cluster.masterOf(k.stream("buckets", q)))) {
                    ns = candidate;
                    keys = k;
                }
            }
            String ticksKey = keys.stream("ticks", p);
            String bucketsKey = keys.stream("buckets", q);
            TestCluster.Node producerMaster = cluster.masterOf(ticksKey);
            TestCluster.Node producerReplica = cluster.nodes().stream().filter(n -> !n.equals(producerMaster)
                    && cluster.<String>sync(n, c -> c.info("replication")).lines().anyMatch(("master_port:" + producerMaster.port())::equals))   // not a longer port
                    .findFirst().orElseThrow();

            String finalNs = ns;
            try (RedisConnection redis = cluster.connect()) {
                EventPublisher publisher = new EventPublisher(redis.template(), keys, CATALOG, "test");
                // the first half with every replica running: groups made and replicated
                publisher.sendAll(ticks(1, 100), 64).block();
                try (StreamsRuntime warm = new StreamsRuntime(topology(), config(finalNs, "warm"), redis.template())
                        .withCommitOptions(CommitOptions.defaults().withWait(1, Duration.ofMillis(1_000)))) {
                    warm.start();
                    assertThat(warm.awaitDrained(Duration.ofSeconds(60))).isTrue();
                }
                publisher.sendAll(ticks(101, 200), 64).block();
                await().atMost(Duration.ofSeconds(20)).until(() -> cluster.<Long>sync(producerReplica, c -> {
                    c.readOnly();
                    return c.xlen(ticksKey);
                }) == 200L);

                // the producer master's replica stops getting the replication stream (its link refused, it lags)
                cluster.sync(producerMaster, c -> c.dispatch(io.lettuce.core.protocol.CommandType.ACL,
                        new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                                .add("SETUSER").add("default").add("-psync").add("-sync").add("-replconf")));
                cluster.sync(producerMaster, c -> c.clientKill(io.lettuce.core.KillArgs.Builder.typeSlave()));
                await().atMost(Duration.ofSeconds(20)).until(() -> cluster.<String>sync(producerReplica,
                        c -> c.info("replication")).contains("master_link_status:down"));

                // WAIT 1: every commit of the producer is refused as not replicated, and the task restarts
                StreamsRuntime lagging = new StreamsRuntime(topology(), config(finalNs, "lagging"), redis.template())
                        .withCommitOptions(CommitOptions.defaults().withWait(1, Duration.ofMillis(300)));
                lagging.start();
                // refused commits, then restarted runs, each of which forwards the outbox first (5 restarts in ~5 s here)
                await().atMost(Duration.ofSeconds(60)).until(() -> lagging.counters().notReplicated() >= 1
                        && lagging.counters().restarts() >= 4);
                lagging.kill();
                // before the fix, the restarted runs forwarded the refused commits' outputs (140 and more here)
                assertThat(redis.template().opsForStream().size(bucketsKey).block())
                        .as("outputs forwarded while no replica held their commits (not replicated: %d, restarts %d)",
                                lagging.counters().notReplicated(), lagging.counters().restarts())
                        .isEqualTo(100L);
            }

            // the producer's master dies; its lagging replica takes over
            cluster.kill(producerMaster);
            cluster.sync(producerReplica, c -> c.dispatch(io.lettuce.core.protocol.CommandType.CLUSTER,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("FAILOVER").add("TAKEOVER")));
            cluster.awaitHealthy(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cluster.masterOf(ticksKey).equals(producerReplica));
            cluster.awaitHealthy(Duration.ofSeconds(30));

            try (RedisConnection redis = cluster.connect();
                 StreamsRuntime survivor = new StreamsRuntime(topology(), config(finalNs, "survivor"), redis.template())) {
                survivor.start();
                assertThat(survivor.awaitDrained(Duration.ofSeconds(90))).isTrue();
                List<Map<String, String>> entries = RedisTestSupport.entriesOf(redis.template(), finalNs, "buckets", q);
                long distinct = entries.stream().map(f -> f.get("id")).distinct().count();
                assertThat(entries.size())
                        .as("outputs in buckets/%d (%d distinct event ids, 200 ticks): WAIT 1 promises no duplicate", q, distinct)
                        .isEqualTo(distinct);
            }
        }
    }
}
