package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Topology;
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
 * A task publishes its watermark after a punctuation too (the runtime: the smallest of its inputs' watermarks, less
 * its lag, below what it still holds), so a held record forwarded by a wall-clock punctuation lifts the hold at once
 * downstream. The test driver did not (review of 2026-12-06): after {@code advanceWallClockTime} released H1 the
 * consumer kept waiting for the next record of the holder's input, where the runtime processed H1 and S.
 */
class PunctuationWatermarkTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /** raw → (0, holds "H…" records until its next wall-clock punctuation, every second) → mid; mid + side (1) → out. */
    static Topology releasedByTheClock() {
        return HoldingProcessor.topology("clock-hold", () -> new HoldingProcessor(Duration.ofSeconds(1)));
    }

    @Test
    void theDriverPublishesTheWatermarkAfterAPunctuationAsTheRuntimeDoes() {
        try (TopologyTestDriver driver = new TopologyTestDriver(releasedByTheClock(), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> side = driver.createInputStream("side");
            TestInputStream<String> raw = driver.createInputStream("raw");
            side.pipeInput("k", "S", BASE + 1_500);
            raw.pipeInput("k", "H1", BASE + 1_000);
            raw.pipeInput("k", "A", BASE + 2_000);
            assertThat(driver.createOutputStream("out", String.class).readValuesToList()).as("H1 held").isEmpty();
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(driver.createOutputStream("out", String.class).readValuesToList())
                    .as("H1 forwarded: raw's watermark (2 s) is the holder's; A waits for a watermark past 2 s")
                    .containsExactly("H1", "S");
            driver.endInput("raw");
            driver.endInput("side");
            assertThat(driver.createOutputStream("out", String.class).readValuesToList()).containsExactly("H1", "S", "A");
        }
    }

    @Test
    void theRuntimeDoesSo() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        try (StreamsRuntime runtime = new StreamsRuntime(releasedByTheClock(), config, RedisTestSupport.template())) {
            runtime.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("side", "k", "S", BASE + 1_500)), 1, true).block();
            feed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "H1", BASE + 1_000),
                    new EventPublisher.Event("raw", "k", "A", BASE + 2_000)), 1, true).block();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (out(ns).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            assertThat(out(ns)).as("after the holder's wall-clock punctuation").containsExactly("H1", "S");
            feed.watermark("raw", Long.MAX_VALUE).block();
            feed.watermark("side", Long.MAX_VALUE).block();
            runtime.inputEnded("raw");
            runtime.inputEnded("side");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(15))).as("drained; left: %s", runtime.undrained()).isTrue();
            assertThat(out(ns)).containsExactly("H1", "S", "A");
        }
    }

    private static List<String> out(String ns) {
        return RedisTestSupport.stringValues(ns, "out", 0);
    }
}
