package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review of 50b5e7fd + b02f9229 (2026-12-07): the end's punctuation is recorded as run (input-ended) only by the commit that
 * publishes the end. When a processor still holds a record after the end's punctuation, the end is held back; a
 * restart in that interval (a rebalance, a deployment) runs the end's punctuation a second time, and a punctuator that
 * forwards at the end writes its record twice: the duplicate 50b5e7fd fixed, left for a task that holds records.
 */
@Timeout(120)
class EndPunctuationRestartWhileHoldingTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /** Holds "H…" records in its store until a wall-clock punctuation (every 4 s); forwards fire@end at the end. */
    static final class Holder implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> ctx;
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<String, String> context) {
            ctx = context;
            store = context.getStateStore("held");
            context.schedule(Duration.ofSeconds(4), PunctuationType.WALL_CLOCK_TIME, now -> {
                for (Map.Entry<String, String> e : store.all().entrySet()) {
                    ctx.forward(new Record<>("k", e.getKey(), Long.parseLong(e.getValue()), null, null));
                    store.delete(e.getKey());
                }
            });
            context.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME, t -> {
                if (t == Long.MAX_VALUE) {
                    ctx.forward(new Record<>("k", "fire@end", t, null, null));
                }
            });
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().startsWith("H")) {
                store.put(record.value(), Long.toString(record.timestamp()));
                return;
            }
            ctx.forward(record);
        }

        @Override
        public long earliestHeldTimestamp() {
            return store.all().values().stream().mapToLong(Long::parseLong).min().orElse(Long.MAX_VALUE);
        }
    }

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("end-restart-hold");
        b.addStateStore(StoreSpec.keyValueStore("held", String.class));
        b.stream("raw", String.class).process(Holder::new, Named.as("holder"), "held").to("out");
        return b.build();
    }

    @Test
    void theEndsPunctuationRunsOnceThoughTheTaskRestartsWhileTheEndIsHeldBack() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        feed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "H1", BASE + 1_000)), 1, true).block();
        feed.watermark("raw", Long.MAX_VALUE).block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            runtime.start();
            runtime.inputEnded("raw");
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!out(ns).contains("fire@end") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(out(ns)).as("the end's punctuation ran; H1 still held").containsExactly("fire@end");
        try (StreamsRuntime restarted = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            restarted.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!out(ns).contains("H1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
        }
        assertThat(out(ns)).as("fire@end once, then the held record").containsExactly("fire@end", "H1");
    }

    private static List<String> out(String ns) {
        return RedisTestSupport.stringValues(ns, "out", 0);
    }
}
