package io.quantumtrader.streams.metrics;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ProcessorContext.count}: a processor's own reasons in {@code qt.streams.node.records.counted{node, reason}},
 * registered at 0 for every declared reason when the task starts, counted once per record even when the record is
 * processed again after a failure.
 */
class ProcessorCountTest {

    @Test
    void aProcessorsReasonsAreRegisteredAtZeroAndARetriedRecordCountsOnce() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        for (long seq = 1; seq <= 4; seq++) {
            publisher.send("ticks", "A", new Tick("A", 10 + seq, seq), seq * 1_000).block();
        }
        AtomicInteger attemptsOn3 = new AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("count-app");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .process(() -> new Processor<String, Tick, String, Tick>() {
                    private ProcessorContext<String, Tick> ctx;

                    @Override
                    public void init(ProcessorContext<String, Tick> c) {
                        ctx = c;
                        c.declareCounts(Set.of("odd", "even", "never"));
                    }

                    @Override
                    public void process(Record<String, Tick> r) {
                        ctx.count(r.value().seq() % 2 == 0 ? "even" : "odd");
                        if (r.value().seq() == 3 && attemptsOn3.incrementAndGet() == 1) {
                            throw new IllegalStateException("first attempt at tick 3 fails after counting it");
                        }
                        ctx.forward(r);
                    }
                }, Named.as("parity"))
                .to("out");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withRetryBackoff(List.of(Duration.ofMillis(10)));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 4);
            Map<String, Double> counted = new TreeMap<>();
            runtime.metrics().registry().find("qt.streams.node.records.counted").tag("node", "parity").counters()
                    .forEach(c -> counted.put(c.getId().getTag("reason"), c.count()));
            assertThat(attemptsOn3.get()).as("tick 3 was processed again").isEqualTo(2);
            assertThat(counted).isEqualTo(Map.of("odd", 2.0, "even", 2.0, "never", 0.0));
        }
    }
}
