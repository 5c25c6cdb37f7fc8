package io.quantumtrader.streams.review;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REVIEW (throwaway): with event-time alignment a batch counts as handled once it is offered to the InputAligner, so
 * the reader reads on while the aligner holds it: the "at most one batch read ahead" bound (README "Backpressure")
 * does not hold. An aligned input whose producer publishes no watermark (and no idle timeout, the default) makes the
 * task read and hold the whole backlog of the other input in memory (and in its PEL).
 */
@Timeout(120)
class AlignerReadAheadTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("held-review");
        b.stream("busy", String.class).merge(b.stream("quiet", String.class), Named.as("both")).to("out");
        return b.build();
    }

    @Test
    void entriesHeldByAlignmentStayBoundedByTheBatchSize() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        long base = 1_000_000_000_000L;
        new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed")
                .sendAll(Flux.range(0, 20_000).map(i -> new Event("busy", "k" + (i % 7), "v" + i, base + i, "b-" + i)), 1_000)
                .block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns)
                .withBatchSize(500).withAlignment(InputAlignment.byWatermarks()), RedisTestSupport.template())) {
            runtime.start();
            long held = 0;
            for (int i = 0; i < 100 && held < 20_000; i++) {
                Thread.sleep(100);
                held = runtime.tasks().stream().mapToLong(StreamTask::alignerHeld).sum();
            }
            System.out.println("REVIEW entries held in memory by the aligner: " + held + " (batch size 500)");
            assertThat(held).as("read ahead and held in memory").isLessThanOrEqualTo(2 * 500);
        }
    }
}
