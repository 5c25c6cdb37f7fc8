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
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task whose inputs have all ended publishes its end of input (watermark Long.MAX_VALUE) even while one of its
 * processors still holds a record back (earliestHeldTimestamp() below MAX after the end's punctuation): the held record,
 * forwarded later by a wall-clock punctuation, reached the aligned consumer after the end it took as "nothing more".
 * Found in review (2026-12-07); the end now waits until nothing is held (a watermark below the held record meanwhile).
 */
@Timeout(120)
class EndWhileHoldingTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /** raw → holder (holds "H…" until its wall-clock punctuation, every second) → mid; mid + side → out. */
    static Topology topology(String app) {
        return HoldingProcessor.topology(app, () -> new HoldingProcessor(Duration.ofSeconds(1)));
    }

    @Test
    void theDriverDoesNotEndTheHoldersOutputWhileItHoldsARecord() {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology("end-hold"), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> side = driver.createInputStream("side");
            TestInputStream<String> raw = driver.createInputStream("raw");
            raw.pipeInput("k", "H1", BASE + 1_000);   // held by the holder
            side.pipeInput("k", "S", BASE + 2_000);
            driver.endInput("raw");
            driver.endInput("side");
            driver.advanceWallClockTime(Duration.ofSeconds(1));   // the holder forwards H1
            assertThat(driver.createOutputStream("out", String.class).readValuesToList()).containsExactly("H1", "S");
        }
    }

    @Test
    void theRuntimeDoesNotEndTheHoldersOutputWhileItHoldsARecord() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        feed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "H1", BASE + 1_000)), 1, true).block();
        feed.sendAll(Flux.just(new EventPublisher.Event("side", "k", "S", BASE + 2_000)), 1, true).block();
        feed.watermark("raw", Long.MAX_VALUE).block();
        feed.watermark("side", Long.MAX_VALUE).block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology("end-hold-rt"), config, RedisTestSupport.template())) {
            runtime.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (out(ns).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
        }
        assertThat(out(ns)).containsExactly("H1", "S");
    }

    private static List<String> out(String ns) {
        return RedisTestSupport.stringValues(ns, "out", 0);
    }
}
