package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.RedisTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The precompiled plan of {@code SubtopologyExecutor} with everything that leaves the plain loop: depth-first order
 * (two processors share a store), a {@code transform} (batch form, per record here) and records whose first attempt
 * fails (retried with backoff), over batches of 500 — every record once, in order, the store seen in record order.
 */
class PlanExecutionTest {

    /** Counts per key in the shared store; the first attempt at every 7th record fails. */
    static final class Counting implements Processor<String, Tick, String, Long> {
        static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> store;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.store = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, Tick> record) {
            Long n = store.get(record.key());
            store.put(record.key(), n == null ? 1 : n + 1); // undone when this attempt fails
            if (record.value().seq() % 7 == 0 && failedOnce.add(record.key() + "/" + record.value().seq())) {
                throw new IllegalStateException("first attempt fails");
            }
            context.forward(record.withValue(record.value().seq()));
        }
    }

    /** Reads the shared store after {@link Counting} wrote it for the same record: count * 1,000,000 + seq. */
    static final class Reading implements Processor<String, Long, String, Long> {
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> store;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.store = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, Long> record) {
            context.forward(record.withValue(store.get(record.key()) * 1_000_000 + record.value()));
        }
    }

    @Test
    void depthFirstWithATransformAndRetriesProcessesEveryRecordOnceInOrder() {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(4, 500), 250).block();
        TopologyBuilder b = new TopologyBuilder("plan");
        b.addStateStore(StoreSpec.keyValueStore("counts", Long.class));
        b.stream("ticks", Tick.class)
                .process(Counting::new, Named.as("count"), "counts")
                .transform(flux -> flux, Named.as("as-a-flux"))
                .process(Reading::new, Named.as("read"), "counts")
                .to("out");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(500)
                .withRetryBackoff(List.of(Duration.ofMillis(1)));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.awaitDrained(Duration.ofSeconds(1))
                    && runtime.counters().recordsIn() == 2000);
            assertThat(runtime.counters().deadLettered()).isZero();
            assertThat(Counting.failedOnce).as("first attempts that failed and were retried").hasSize(4 * (500 / 7));
        }
        List<Long> out = values(ns, "out", 0, Long.class);
        assertThat(out).hasSize(2000);
        Map<Long, List<Long>> bySymbolCount = new HashMap<>();
        for (Long v : out) {
            bySymbolCount.computeIfAbsent(v % 1_000_000, k -> new ArrayList<>()).add(v / 1_000_000);
        }
        // each of the 4 keys has seq 1..500; the n-th record of a key saw count n (store in record order, retries undone)
        assertThat(bySymbolCount).hasSize(500);
        bySymbolCount.forEach((seq, counts) -> assertThat(counts).as("seq %d", seq).containsOnly(seq));
    }
}
