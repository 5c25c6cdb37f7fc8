package io.quantumtrader.streams.cluster;

import io.lettuce.core.cluster.SlotHash;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.PricedTick;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ForwardHook;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine on a real Redis Cluster (3 masters, 3 replicas, started by the test): partitions spread over the masters,
 * outputs re-keyed to partitions on other masters go through the task's outbox and are forwarded exactly once,
 * whatever the point a crash hits (before the commit, between the commit and the forward, between two target slots,
 * before the outbox is cleaned).
 */
class RedisClusterTest {

    static final int PARTITIONS = 6;
    static final int SYMBOLS = 8;
    static final int PER_SYMBOL = 60;
    static final int BUCKETS = 5;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, PARTITIONS, 0, null), Map.of());

    static TestCluster cluster;
    static RedisConnection redis;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3, 1);
        redis = cluster.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The topology refresh (every 30 s, and on redirects) opens and closes a connection to every node: those closes are
     * not connection losses, or every commit with WAIT in flight during a refresh failed as not replicated (found in
     * review, 2026-12-05: ClusterCommitConnection counted every disconnect of the client).
     */
    @Test
    void aTopologyRefreshIsNoConnectionLossForTheCommitConnection() {
        try (io.quantumtrader.streams.redis.ClusterCommitConnection commits =
                     io.quantumtrader.streams.redis.ClusterCommitConnection.open(redis.template()).orElseThrow()) {
            long before = commits.connectionsLost();
            var client = (io.lettuce.core.cluster.RedisClusterClient) ((org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory)
                    redis.template().getConnectionFactory()).getNativeClient();
            for (int i = 0; i < 3; i++) {
                client.refreshPartitions();
            }
            assertThat(commits.connectionsLost()).isEqualTo(before);
        }
    }

    /** Counts ticks per symbol and re-keys each to one of {@value #BUCKETS} buckets: most land on another partition. */
    static final class Rekey implements Processor<String, Tick, String, PricedTick> {
        private ProcessorContext<String, PricedTick> context;
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<String, PricedTick> context) {
            this.context = context;
            this.counts = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, Tick> record) {
            Long previous = counts.get(record.key());
            long n = previous == null ? 1 : previous + 1;
            counts.put(record.key(), n);
            context.forward(record.with("B" + record.value().seq() % BUCKETS, new PricedTick(record.key(), record.value().seq(), n)));
        }
    }

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("xslot");
        b.addStateStore(StoreSpec.keyValueStore("counts", Long.class));
        EventStream<String, Tick> ticks = b.stream("ticks", Tick.class);
        ticks.process(Rekey::new, Named.as("rekey"), "counts").to("buckets");
        ticks.mapValues(t -> t.seq(), Named.as("seq")).to("echo");
        return b.build();
    }

    static Flux<EventPublisher.Event> ticks() {
        List<EventPublisher.Event> events = new ArrayList<>();
        for (int seq = 1; seq <= PER_SYMBOL; seq++) {
            for (int s = 0; s < SYMBOLS; s++) {
                String symbol = "SYM" + s;
                events.add(new EventPublisher.Event("ticks", symbol, new Tick(symbol, 100, seq), 1_700_000_000_000L + seq,
                        symbol + "/" + seq));
            }
        }
        return Flux.fromIterable(events);
    }

    /** @return a fresh namespace whose {@value #PARTITIONS} partitions are served by all 3 masters */
    static String namespaceOnAllMasters() {
        while (true) {
            String ns = RedisTestSupport.freshNamespace();
            Set<Integer> masters = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                masters.add(cluster.masterOf(new StreamKeys(ns).stream("ticks", p)).port());
            }
            if (masters.size() == 3) {
                return ns;
            }
        }
    }

    @Test
    void theNamespaceIsInTheHashTagSoATasksKeysShareASlotAndNamespacesSpread() {
        StreamKeys keys = new StreamKeys("qt");
        int slot = SlotHash.getSlot(keys.stream("ticks", 3));
        assertThat(List.of(keys.store("app", "s", 3), keys.lease("app.0", 3), keys.meta("app.0", 3), keys.dedupe("app.0", 3),
                keys.fence("app.0", 3), keys.leaseOwner("app.0", 3), keys.outbox("app.0", 3),
                StreamKeys.forwarded(keys.stream("ticks", 3)))).allSatisfy(k -> assertThat(SlotHash.getSlot(k)).as(k).isEqualTo(slot));
        Set<Integer> slotsOfPartition0 = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            slotsOfPartition0.add(SlotHash.getSlot(new StreamKeys("app" + i).stream("ticks", 0)));
        }
        assertThat(slotsOfPartition0).as("partition 0 of 20 namespaces").hasSizeGreaterThan(15);
        assertThat(redis.isCluster()).isTrue();
    }

    @Test
    void reKeyedOutputsReachPartitionsOnOtherMastersExactlyOnce() {
        String ns = namespaceOnAllMasters();
        new EventPublisher(redis.template(), new StreamKeys(ns), CATALOG, "test").sendAll(ticks(), 64).block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config(ns, "solo"), redis.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
            assertThat(runtime.counters().outboxForwarded()).as("outputs forwarded through the outbox").isPositive();
        }
        assertExactlyOnce(ns);
    }

    enum Crash { BEFORE_COMMIT, AFTER_COMMIT_BEFORE_FORWARD, BETWEEN_TARGET_SLOTS, BEFORE_OUTBOX_CLEANUP }

    @ParameterizedTest
    @EnumSource(Crash.class)
    void aCrashAtAnyPointOfTheCrossSlotProtocolLosesAndDuplicatesNothing(Crash crash) {
        String ns = namespaceOnAllMasters();
        new EventPublisher(redis.template(), new StreamKeys(ns), CATALOG, "test").sendAll(ticks(), 64).block();
        AtomicReference<StreamsRuntime> victim = new AtomicReference<>();
        AtomicInteger events = new AtomicInteger();
        AtomicInteger crashed = new AtomicInteger();
        int crashAt = 6;
        StreamsConfig config = config(ns, "victim");
        if (crash == Crash.BEFORE_COMMIT) {
            config = config.withBeforeCommit((task, n) -> events.incrementAndGet() == crashAt ? die(victim, crashed) : Mono.empty());
        }
        ForwardHook hook = (outbox, done, slots) -> {
            boolean point = switch (crash) {
                case BEFORE_COMMIT -> false;
                case AFTER_COMMIT_BEFORE_FORWARD -> done == 0;
                case BETWEEN_TARGET_SLOTS -> done == 1 && slots > 1;
                case BEFORE_OUTBOX_CLEANUP -> done == slots;
            };
            return point && events.incrementAndGet() == crashAt ? die(victim, crashed) : Mono.empty();
        };
        StreamsRuntime first = new StreamsRuntime(topology(), config, redis.template())
                .withCommitOptions(CommitOptions.defaults().withForwardHook(hook));
        victim.set(first);
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> crashed.get() > 0);
        if (crash != Crash.BEFORE_COMMIT) {
            assertThat(outboxEntries(ns)).as("the crash left committed outputs in an outbox").isPositive();
        }
        try (StreamsRuntime survivor = new StreamsRuntime(topology(), config(ns, "survivor"), redis.template())) {
            survivor.start();
            assertThat(survivor.awaitDrained(Duration.ofSeconds(60))).isTrue();
            if (crash == Crash.BEFORE_OUTBOX_CLEANUP) {
                assertThat(survivor.counters().outboxRepeats()).as("entries appended before the crash, found and dropped").isPositive();
            }
        }
        assertThat(outboxEntries(ns)).as("every outbox forwarded and cleaned").isZero();
        assertExactlyOnce(ns);
    }

    private static Mono<Void> die(AtomicReference<StreamsRuntime> victim, AtomicInteger crashed) {
        victim.get().kill();
        crashed.incrementAndGet();
        return Mono.never();
    }

    static StreamsConfig config(String ns, String instance) {
        return StreamsConfig.defaults().withNamespace(ns).withInstanceId(instance).withCatalog(CATALOG).withBatchSize(20)
                .withLeaseTtl(Duration.ofSeconds(2));
    }

    private static long outboxEntries(String ns) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Long len = redis.template().opsForStream().size(new StreamKeys(ns).outbox("xslot.0", p)).block();
            n += len == null ? 0 : len;
        }
        return n;
    }

    /** Every tick's bucket record is in its partition once, in per-symbol order; state and same-partition outputs too. */
    static void assertExactlyOnce(String ns) {
        ReactiveStringRedisTemplate t = redis.template();
        JsonSerde<PricedTick> serde = new JsonSerde<>(PricedTick.class);
        Map<Integer, List<PricedTick>> expected = new HashMap<>();
        for (int seq = 1; seq <= PER_SYMBOL; seq++) {
            for (int s = 0; s < SYMBOLS; s++) {
                expected.computeIfAbsent(Partitioner.partition("B" + seq % BUCKETS, PARTITIONS), p -> new ArrayList<>())
                        .add(new PricedTick("SYM" + s, seq, seq));
            }
        }
        int crossPartition = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            List<Map<String, String>> entries = RedisTestSupport.entriesOf(t, ns, "buckets", p);
            List<PricedTick> got = entries.stream().map(f -> serde.deserialize(Envelope.fromFields(f).data())).toList();
            assertThat(got).as("buckets/%d", p).containsExactlyInAnyOrderElementsOf(expected.getOrDefault(p, List.of()));
            assertThat(entries.stream().map(f -> f.get("id")).distinct().count()).as("unique event ids in buckets/%d", p)
                    .isEqualTo(entries.size());
            Map<String, Long> lastSeq = new HashMap<>();
            for (PricedTick pt : got) {
                Long before = lastSeq.put(pt.symbol(), pt.seq());
                assertThat(before == null || before < pt.seq()).as("per-symbol order in buckets/%d", p).isTrue();
            }
            for (PricedTick pt : got) {
                if (Partitioner.partition(pt.symbol(), PARTITIONS) != p) {
                    crossPartition++;
                }
            }
            assertThat(t.opsForHash().entries(new StreamKeys(ns).store("xslot", "counts", p)).map(e -> String.valueOf(e.getValue()))
                    .collectList().block()).allSatisfy(c -> assertThat(c).isEqualTo(String.valueOf(PER_SYMBOL)));
        }
        assertThat(crossPartition).as("outputs that crossed to another partition").isGreaterThan(SYMBOLS * PER_SYMBOL / 2);
        long echo = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            echo += t.opsForStream().size(new StreamKeys(ns).stream("echo", p)).block();
            assertThat(t.opsForStream().range(new StreamKeys(ns).stream("echo", p), Range.unbounded()).count().block())
                    .isEqualTo(t.opsForStream().size(new StreamKeys(ns).stream("ticks", p)).block());
        }
        assertThat(echo).isEqualTo(SYMBOLS * PER_SYMBOL);
    }
}
