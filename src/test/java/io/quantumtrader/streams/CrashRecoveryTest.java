package io.quantumtrader.streams;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once effects: a runtime killed between processing a batch and committing it, then restarted, must leave
 * the same output streams and state as an uninterrupted run: nothing lost, nothing duplicated.
 */
class CrashRecoveryTest {

    static final int PARTITIONS = 2;
    static final int SYMBOLS = 8;
    static final int PER_SYMBOL = 250;
    static final int TOTAL = SYMBOLS * PER_SYMBOL;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, PARTITIONS, 0, null), Map.of());

    /** Counts ticks per symbol in a state store and emits the running count. */
    static final class RunningCount implements Processor<String, Tick, String, Long> {
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.counts = context.getStateStore("tick-counts");
        }

        @Override
        public void process(Record<String, Tick> record) {
            Long previous = counts.get(record.key());
            long next = previous == null ? 1 : previous + 1;
            counts.put(record.key(), next);
            context.forward(record.withValue(next));
        }
    }

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("crashy");
        b.addStateStore(StoreSpec.keyValueStore("tick-counts", Long.class));
        EventStream<String, Tick> ticks = b.stream("ticks", Tick.class);
        ticks.filter((k, t) -> t.seq() % 4 != 0, Named.as("drop-every-fourth"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced");
        ticks.process(RunningCount::new, Named.as("running-count"), "tick-counts").to("counts");
        return b.build();
    }

    @Test
    void killedBeforeCommitAndRestartedGivesTheSameOutputsAsAnUninterruptedRun() {
        String reference = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(reference, CATALOG).sendAll(EngineIntegrationTest.ticks(SYMBOLS, PER_SYMBOL), 64).block();
        StreamsConfig base = StreamsConfig.defaults().withCatalog(CATALOG).withBatchSize(40)
                .withLeaseTtl(Duration.ofSeconds(2)); // the killed victim's leases expire quickly
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), base.withNamespace(reference), template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() == TOTAL);
        }

        String crashed = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(crashed, CATALOG).sendAll(EngineIntegrationTest.ticks(SYMBOLS, PER_SYMBOL), 64).block();
        AtomicReference<StreamsRuntime> victim = new AtomicReference<>();
        AtomicInteger commits = new AtomicInteger();
        StreamsRuntime first = new StreamsRuntime(topology(), base.withNamespace(crashed).withInstanceId("victim")
                .withBeforeCommit((task, n) -> {
                    if (commits.incrementAndGet() == 7) {
                        victim.get().kill(); // dies after processing its 7th batch, before committing it
                        return Mono.never();
                    }
                    return Mono.empty();
                }), template());
        victim.set(first);
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> commits.get() >= 7);
        assertThat(first.counters().recordsIn()).isLessThan(TOTAL);

        StreamAdmin admin = new StreamAdmin(template());
        long pendingAfterCrash = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            pendingAfterCrash += admin.pendingCount(new StreamKeys(crashed).stream("ticks", p), "crashy.0").block();
        }
        assertThat(pendingAfterCrash).as("the killed runtime left read-but-uncommitted entries").isPositive();

        try (StreamsRuntime second = new StreamsRuntime(topology(), base.withNamespace(crashed).withInstanceId("survivor"), template())) {
            second.start();
            // the "counts" stream gets exactly one entry per input: done when it has them all
            await().atMost(Duration.ofSeconds(30)).until(() -> totalLength(crashed, "counts") >= TOTAL);
            assertThat(second.counters().reclaimed()).isEqualTo(pendingAfterCrash);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(admin.pendingCount(new StreamKeys(crashed).stream("ticks", p), "crashy.0").block()).isZero();
        }
        assertThat(totalLength(crashed, "counts")).isEqualTo(TOTAL);

        for (String stream : List.of("priced", "counts")) {
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(payloads(crashed, stream, p)).as("%s partition %d", stream, p)
                        .isEqualTo(payloads(reference, stream, p));
                List<Map<String, String>> out = entries(crashed, stream, p);
                Set<String> ids = new HashSet<>();
                out.forEach(f -> ids.add(f.get("id")));
                assertThat(ids).as("event ids in %s/%d are unique", stream, p).hasSize(out.size());
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            String hash = new StreamKeys(crashed).store("crashy", "tick-counts", p);
            Map<Object, Object> counts = template().opsForHash().entries(hash).collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
            counts.values().forEach(c -> assertThat(c).isEqualTo(String.valueOf(PER_SYMBOL)));
        }
        long priced = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            priced += RedisTestSupport.length(crashed, "priced", p);
        }
        assertThat(priced).isEqualTo(SYMBOLS * (PER_SYMBOL - PER_SYMBOL / 4));
    }

    private static long totalLength(String ns, String stream) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            n += RedisTestSupport.length(ns, stream, p);
        }
        return n;
    }

    private static List<String> payloads(String ns, String stream, int p) {
        List<String> out = new ArrayList<>();
        entries(ns, stream, p).forEach(f -> out.add(f.get("subject") + "|" + f.get("data")));
        return out;
    }
}
