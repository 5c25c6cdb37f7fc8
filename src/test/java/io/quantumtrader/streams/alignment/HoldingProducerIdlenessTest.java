package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TestOutputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With an idle timeout, a producer task that holds a record back (its watermark pinned below it and standing still)
 * is not idle: its readers keep it in the input's watermark, and the input is not idle either, for as long as it
 * holds. Before (review of 2026-12-06) the reader left the holding producer out after the idle timeout, the other
 * producer task's watermark passed the held record, the reader's input went idle too, and the held record came behind
 * the records after it: out of event-time order.
 */
class HoldingProducerIdlenessTest {

    static final long BASE = EventTimeAlignmentTest.BASE;
    static final Duration IDLE = Duration.ofMillis(500);

    @Test
    void aHoldingProducerIsNotIdle() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        Duration keep = Duration.ofDays(7);
        // raw on 2 partitions: two holder tasks (0_0, 0_1) write mid's one partition, merged by the reader (1_0)
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", "key", 1, 0, keep),
                Map.of("raw", new StreamSpec("raw", "key", 2, 0, keep)));
        String held = keyOn(0);
        String other = keyOn(1);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog)
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(InputAlignment.byWatermarks().withIdleTimeout(IDLE));
        EventPublisher rawFeed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "raw-feed");
        EventPublisher sideFeed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "side-feed");
        try (StreamsRuntime runtime = new StreamsRuntime(HoldingProcessor.topology("hold-idle", HoldingProcessor::new),
                config, RedisTestSupport.template())) {
            runtime.start();
            // H1 (1 s) held by task 0_0; A (2 s) and B (3 s) forwarded by task 0_1, whose watermark moves to 3 s
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", held, "H1", BASE + 1_000)), 1, true).block();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", other, "A", BASE + 2_000),
                    new EventPublisher.Event("raw", other, "B", BASE + 3_000)), 1, true).block();
            awaitLength(ns, "mid", 2);
            // both producers have published (an expected producer that has not is idle after the timeout too)
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (RedisTestSupport.template().opsForHash().get(new StreamKeys(ns).watermarks("mid", 0), "hold-idle:0_0")
                    .block() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            sideFeed.sendAll(Flux.just(new EventPublisher.Event("side", "s", "S", BASE + 1_500)), 1, true).block();
            sideFeed.watermark("side", Long.MAX_VALUE).block();
            Thread.sleep(IDLE.toMillis() * 4);   // 0_0's watermark stands still four idle timeouts while it holds H1
            assertThat(RedisTestSupport.stringValues(ns, "out", 0)).as("nothing passes H1 (1 s) while 0_0 holds it").isEmpty();

            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", held, "R", BASE + 4_000)), 1, true).block();
            rawFeed.watermark("raw", Long.MAX_VALUE).block();
            runtime.inputEnded("raw");
            runtime.inputEnded("side");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("drained; left: %s", runtime.undrained()).isTrue();
            awaitLength(ns, "out", 5);
            assertThat(RedisTestSupport.stringValues(ns, "out", 0)).isEqualTo(List.of("H1", "S", "A", "B", "R"));
            Map<Object, Object> marks = RedisTestSupport.template().opsForHash().entries(new StreamKeys(ns).holdMarks("mid", 0))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
            assertThat(marks).as("hold marks of mid once nothing is held")
                    .containsEntry("hold-idle:0_0", "0").containsEntry("hold-idle:0_1", "0");
            assertThat(RedisTestSupport.template().hasKey(new StreamKeys(ns).holdMarks("out", 0)).block())
                    .as("the merge's sub-topology holds nothing and writes no hold marks").isFalse();
        }
    }

    /**
     * The test driver, with its mocked wall clock: the reader's input written by a holding task is not idle while that
     * task holds, so the other input's record waits for the held one.
     */
    @Test
    void theDriverDoesNotCountAnInputWithAHoldingProducerIdle() {
        try (TopologyTestDriver driver = new TopologyTestDriver(HoldingProcessor.topology("hold-idle", HoldingProcessor::new),
                Instant.EPOCH, IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(),
                InputAlignment.byWatermarks().withIdleTimeout(Duration.ofSeconds(5)))) {
            TestInputStream<String> side = driver.createInputStream("side");
            TestInputStream<String> raw = driver.createInputStream("raw");
            raw.pipeInput("k", "H1", BASE + 1_000);   // held
            side.pipeInput("k", "S", BASE + 1_500);
            raw.pipeInput("k", "A", BASE + 2_000);
            driver.advanceWallClockTime(Duration.ofSeconds(60));   // the holder's watermark stands still a minute
            TestOutputStream<String> out = driver.createOutputStream("out", String.class);
            assertThat(out.readValuesToList()).as("nothing passes H1 (1 s) while it is held").isEmpty();
            raw.pipeInput("k", "R", BASE + 4_000);
            driver.endInput("raw");
            driver.endInput("side");
            assertThat(out.readValuesToList()).isEqualTo(List.of("H1", "S", "A", "R"));
        }
    }

    /** @return a key that hashes to {@code partition} of raw's 2 */
    private static String keyOn(int partition) {
        for (char c = 'a'; ; c++) {
            if (Partitioner.partition(String.valueOf(c), 2) == partition) {
                return String.valueOf(c);
            }
        }
    }

    private static void awaitLength(String ns, String stream, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (RedisTestSupport.length(ns, stream, 0) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
