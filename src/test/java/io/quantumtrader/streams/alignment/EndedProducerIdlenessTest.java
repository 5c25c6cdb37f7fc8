package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an idle timeout, a producer that has published its end of input (watermark {@code Long.MAX_VALUE}) is never
 * left out of its input's watermark as idle: its watermark stands still because nothing more will come, which is what
 * the reading task needs to know to pass the end on. Before (review of 2026-12-06) a task that took longer than the
 * idle timeout to process its inputs after they ended found every producer idle, its inputs' watermarks unknown, and
 * never published its own end: its consumers waited for it (for ever, without an idle timeout of their own).
 */
class EndedProducerIdlenessTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /** left + right merged, then a slow stage (100 ms a record) → out. */
    static Topology slowMerge() {
        TopologyBuilder b = new TopologyBuilder("slow");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge"))
                .mapValues(v -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return v;
                }, Named.as("slow"))
                .to("out");
        return b.build();
    }

    @Test
    void aTaskPassesTheEndOnAfterProcessingForLongerThanTheIdleTimeout() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(InputAlignment.byWatermarks().withIdleTimeout(Duration.ofMillis(300)));
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        StreamKeys keys = new StreamKeys(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(slowMerge(), config, RedisTestSupport.template())) {
            runtime.start();
            feed.sendAll(Flux.range(0, 10).map(i -> new EventPublisher.Event("left", "k", "L" + i, BASE + i * 1000L)), 10, true).block();
            feed.watermark("left", Long.MAX_VALUE).block();
            feed.watermark("right", Long.MAX_VALUE).block();
            runtime.inputEnded("left");
            runtime.inputEnded("right");
            // ten records of 100 ms each: the producers' end is older than the idle timeout when they are processed
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String end = null;
            while (!String.valueOf(Long.MAX_VALUE).equals(end) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                end = (String) RedisTestSupport.template().opsForHash().get(keys.watermarks("out", 0), "slow:0_0").block();
            }
            assertThat(RedisTestSupport.length(ns, "out", 0)).isEqualTo(10);
            assertThat(end).as("the task's end of input, in out's watermarks").isEqualTo(String.valueOf(Long.MAX_VALUE));
        }
    }
}
