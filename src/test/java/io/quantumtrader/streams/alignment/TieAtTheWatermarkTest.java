package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ties go to the input declared first whatever the schedule: a watermark at a record's time says nothing earlier will
 * come, not that nothing of that time will (a publisher's watermark is the largest event time it sent, a task's its
 * stream time: the next batch may hold another record of the same millisecond). Before (review of 2026-12-06) an
 * input declared first with nothing buffered and a watermark equal to a later-declared input's record let that record
 * go, and a record of the first input at the same millisecond read after it came second: L1, R1, L2 when L2 was
 * published after R1, L1, L2, R1 when before (the merged inputs already waited for a watermark past the tie).
 */
class TieAtTheWatermarkTest {

    static final long T = EventTimeAlignmentTest.BASE + 1_000;

    /** left + right (two external inputs, left declared first) merged in event-time order → out. */
    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("tie");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge")).to("out");
        return b.build();
    }

    @Test
    void theDriverGivesATieToTheInputDeclaredFirstWhateverThePipingOrder() {
        for (List<String> piping : List.of(List.of("L1", "R1", "L2"), List.of("L1", "L2", "R1"), List.of("R1", "L1", "L2"))) {
            try (TopologyTestDriver driver = new TopologyTestDriver(topology(), Instant.EPOCH,
                    IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
                TestInputStream<String> left = driver.createInputStream("left");
                TestInputStream<String> right = driver.createInputStream("right");
                for (String v : piping) {
                    (v.startsWith("L") ? left : right).pipeInput("k", v, T);
                }
                driver.endInput("left");
                driver.endInput("right");
                assertThat(driver.createOutputStream("out", String.class).readValuesToList()).as("piped %s", piping)
                        .containsExactly("L1", "L2", "R1");
            }
        }
    }

    @Test
    void theRuntimeGivesATieToTheInputDeclaredFirstWhateverTheBatches() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher leftFeed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "left-feed");
        EventPublisher rightFeed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "right-feed");
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            runtime.start();
            leftFeed.sendAll(Flux.just(new EventPublisher.Event("left", "k", "L1", T)), 1, true).block();
            rightFeed.sendAll(Flux.just(new EventPublisher.Event("right", "k", "R1", T)), 1, true).block();
            Thread.sleep(500);   // both read and their watermarks (T each) with them; then L2 of the same millisecond
            leftFeed.sendAll(Flux.just(new EventPublisher.Event("left", "k", "L2", T)), 1, true).block();
            leftFeed.watermark("left", Long.MAX_VALUE).block();
            rightFeed.watermark("right", Long.MAX_VALUE).block();
            runtime.inputEnded("left");
            runtime.inputEnded("right");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("drained; left: %s", runtime.undrained()).isTrue();
            List<String> out = RedisTestSupport.stringValues(ns, "out", 0);
            assertThat(out).containsExactly("L1", "L2", "R1");
        }
    }
}
