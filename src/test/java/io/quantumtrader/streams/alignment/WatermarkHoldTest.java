package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.processor.Processor;
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
 * A processor that holds a record back and forwards it later at its own timestamp (as the price band holds a suspect
 * print until it is confirmed) says so ({@code Processor#earliestHeldTimestamp}), and its task's watermark stays
 * below that record until it is forwarded: an aligned consumer downstream merges it in event-time order. Before
 * (review of 2026-12-06) the watermark passed the held record, the consumer released its other input's records past
 * it, and the held record came after them, out of order.
 */
class WatermarkHoldTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /**
     * raw → (0, holds records whose value starts with "H" until an "R") → mid; mid + side merged by event time (1) →
     * out.
     */
    static Topology holding() {
        return HoldingProcessor.topology("hold", HoldingProcessor::new);
    }

    /** raw: H1 at 1 s (held), A at 2 s, B at 3 s, R at 4 s (releases H1); side: S at 1.5 s, then its end. */
    static final List<EventPublisher.Event> RAW = List.of(
            new EventPublisher.Event("raw", "k", "H1", BASE + 1_000),
            new EventPublisher.Event("raw", "k", "A", BASE + 2_000),
            new EventPublisher.Event("raw", "k", "B", BASE + 3_000),
            new EventPublisher.Event("raw", "k", "R", BASE + 4_000));
    static final List<String> EXPECTED = List.of("H1", "S", "A", "B", "R");

    @Test
    void theRuntimeKeepsTheWatermarkBelowAHeldRecord() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        // one record per batch: each batch's commit publishes the watermark its stream time gives
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher rawFeed = feed(ns, "raw-feed");
        EventPublisher sideFeed = feed(ns, "side-feed");
        StreamKeys keys = new StreamKeys(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(holding(), config, RedisTestSupport.template())) {
            runtime.start();
            sideFeed.sendAll(Flux.just(new EventPublisher.Event("side", "k", "S", BASE + 1_500)), 1, true).block();
            sideFeed.watermark("side", Long.MAX_VALUE).block();
            // H1, A, B one at a time, each processed before the next: the holder's watermark is read after each
            for (EventPublisher.Event e : RAW.subList(0, 3)) {
                rawFeed.sendAll(Flux.just(e), 1, true).block();
                awaitValues(ns, "mid", e.value().equals("H1") ? 0 : RAW.indexOf(e));
            }
            Thread.sleep(300);   // punctuations too (every 50 ms) publish the task's watermark
            String midWatermark = (String) RedisTestSupport.template().opsForHash()
                    .get(keys.watermarks("mid", 0), "hold:0_0").block();
            assertThat(midWatermark).as("mid's watermark while H1 (at +1 s) is held").isNotNull();
            assertThat(Long.parseLong(midWatermark) - BASE).as("mid's watermark while H1 (at +1 s) is held, ms after BASE")
                    .isLessThan(1_000);
            assertThat(values(ns, "out")).as("nothing passes H1 in the merge while it is held").isEmpty();

            rawFeed.sendAll(Flux.just(RAW.get(3)), 1, true).block();
            rawFeed.watermark("raw", Long.MAX_VALUE).block();
            runtime.inputEnded("raw");
            runtime.inputEnded("side");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("drained; left: %s", runtime.undrained()).isTrue();
            assertThat(values(ns, "out")).isEqualTo(EXPECTED);
        }
    }

    @Test
    void theDriverKeepsTheWatermarkBelowAHeldRecord() {
        try (TopologyTestDriver driver = new TopologyTestDriver(holding(), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> side = driver.createInputStream("side");
            TestInputStream<String> raw = driver.createInputStream("raw");
            side.pipeInput("k", "S", BASE + 1_500);
            driver.endInput("side");
            for (EventPublisher.Event e : RAW) {
                raw.pipeInput(e.key(), (String) e.value(), e.timestamp());
            }
            driver.endInput("raw");
            assertThat(driver.createOutputStream("out", String.class).readValuesToList()).isEqualTo(EXPECTED);
        }
    }

    private static EventPublisher feed(String ns, String source) {
        return new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), source);
    }

    private static void awaitValues(String ns, String stream, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (values(ns, stream).size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
    }

    private static List<String> values(String ns, String stream) {
        return RedisTestSupport.stringValues(ns, stream, 0);
    }
}
