package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.SubtopologyExecutor;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processors that share a store see each other's writes in record order (Kafka Streams' depth-first order),
 * whatever the batch size: a "reader" branch reports the running total a "writer" branch keeps.
 */
class SharedStoreOrderTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("shared");
        b.addStateStore(StoreSpec.keyValueStore("total", Long.class));
        EventStream<String, Long> in = b.stream("amounts", Long.class);
        in.process(() -> new Processor<String, Long, String, Long>() {
            private KeyValueStore<String, Long> total;

            @Override
            public void init(ProcessorContext<String, Long> c) {
                total = c.getStateStore("total");
            }

            @Override
            public void process(Record<String, Long> r) {
                Long t = total.get("t");
                total.put("t", (t == null ? 0 : t) + r.value());
            }
        }, Named.as("writer"), "total");
        in.process(() -> new Processor<String, Long, String, Long>() {
            private ProcessorContext<String, Long> ctx;
            private KeyValueStore<String, Long> total;

            @Override
            public void init(ProcessorContext<String, Long> c) {
                ctx = c;
                total = c.getStateStore("total");
            }

            @Override
            public void process(Record<String, Long> r) {
                ctx.forward(r.withValue(total.get("t")));
            }
        }, Named.as("reader"), "total").to("totals");
        return b.build();
    }

    @Test
    void aSubtopologyWithASharedStoreRunsRecordByRecord() {
        assertThat(new SubtopologyExecutor(topology().taskSubtopologies().get(0), 0).depthFirst()).isTrue();
        assertThat(new SubtopologyExecutor(JoinTest.marks().taskSubtopologies().get(0), 0).depthFirst())
                .as("a table and its join share the store too").isTrue();
        assertThat(new SubtopologyExecutor(AggregationAndTableTest.topology().taskSubtopologies().get(0), 0).depthFirst())
                .as("each aggregation has its own store").isFalse();
    }

    @Test
    void theReaderSeesTheWritersTotalInRecordOrderWhateverTheBatchSize() {
        for (int batch : List.of(1, 3, 500)) {
            String ns = RedisTestSupport.freshNamespace();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(Flux.range(1, 10)
                    .map(i -> new EventPublisher.Event("amounts", "k", (long) i, i)), 10).block();
            try (StreamsRuntime runtime = new StreamsRuntime(topology(),
                    StreamsConfig.defaults().withNamespace(ns).withBatchSize(batch), RedisTestSupport.template())) {
                runtime.start();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            }
            assertThat(RedisTestSupport.values(ns, "totals", 0, Long.class)).as("batch size %d", batch)
                    .containsExactly(1L, 3L, 6L, 10L, 15L, 21L, 28L, 36L, 45L, 55L);
        }
    }
}
