package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer's published watermark ({@link EventPublisher#sendAll(Flux, int, boolean)}) is capped like stream time: at
 * Redis' clock (the ms of the entry ids appended, the consumers' arrival) + the stream-time lead (1 s by default), and
 * never moves back. Before (2026-12-06) one record stamped 50 s ahead of
 * the clock in a batch published a watermark 50 s ahead: an aligned consumer released the other input's records up to
 * then at once, and the producer's on-time records that followed were late for a window with a short grace.
 */
@Timeout(60)
class ProducerWatermarkCapTest {

    /** left + right merged (aligned), counted per 1 s window with 500 ms grace. */
    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("capped-marks");
        EventStream<String, String> left = b.stream("left", String.class);
        left.merge(b.stream("right", String.class), Named.as("merge"))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(1), Duration.ofMillis(500)))
                .count(Materialized.as("counts-1s"))
                .toStream()
                .map((wk, n) -> KeyValue.pair(wk.key(), n), Named.as("unwindow"))
                .to("counts");
        return b.build();
    }

    @Test
    void aFutureStampedRecordDoesNotMoveTheProducersWatermarkPastRedisClockPlusTheLead() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher left = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "left-feed");
        long before = redisNow();
        left.sendAll(Flux.just(new Event("left", "k", "L1", before - 5_000), new Event("left", "k", "Lf", before + 50_000)), 10, true).block();
        long after = redisNow();
        assertThat(watermark(ns, "left", "left-feed")).as("capped at Redis' clock + 1 s").isBetween(before + 1_000, after + 1_000);
        // within the lead, and history (a replay), are unaffected
        left.sendAll(Flux.just(new Event("other", "k", "O", before - 300)), 10, true).block();
        assertThat(watermark(ns, "other", "left-feed")).isEqualTo(before - 300);
        EventPublisher replay = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "replay");
        replay.sendAll(Flux.just(new Event("right", "k", "R", 1_000_000_000_000L)), 10, true).block();
        assertThat(watermark(ns, "right", "replay")).isEqualTo(1_000_000_000_000L);
    }

    /**
     * A producer host whose clock runs an hour ahead of Redis' stamps its events an hour ahead: its watermark is capped
     * at Redis' clock (the entry ids' ms, the consumers' arrival) + the lead, not at its own clock + the lead. Before
     * (2026-12-06) it was capped at the producer's clock + 1 s: an hour ahead of the consumers' stream-time cap.
     */
    @Test
    void aProducerClockAheadOfRedisDoesNotMoveTheWatermarkPastRedisClockPlusTheLead() {
        String ns = RedisTestSupport.freshNamespace();
        long hostAhead = 3_600_000;   // (checked before the fix with the publisher's then clock hook at now + 1 h)
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "fast-host");
        long before = redisNow();
        feed.sendAll(Flux.just(new Event("left", "k", "L", System.currentTimeMillis() + hostAhead)), 10, true).block();
        long after = redisNow();
        assertThat(watermark(ns, "left", "fast-host")).isBetween(before + 1_000, after + 1_000);
    }

    /** The lead is the consumers' ({@link EventPublisher#of}: the config's max stream-time lead), not always 1 s. */
    @Test
    void theLeadIsTheConsumersMaxStreamTimeLead() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher feed = EventPublisher.of(RedisTestSupport.template(), StreamsConfig.defaults().withNamespace(ns)
                .withIngest(IngestLimits.defaults().withMaxStreamTimeLead(Duration.ofSeconds(5))), "lead-5s");
        long before = redisNow();
        feed.sendAll(Flux.just(new Event("left", "k", "L", before + 60_000)), 10, true).block();
        long after = redisNow();
        assertThat(watermark(ns, "left", "lead-5s")).isBetween(before + 5_000, after + 5_000);
    }

    /**
     * A later batch whose events (or cap) are below the watermark published before publishes none: the watermark a
     * publisher publishes never moves back. Before (2026-12-06) each sendAll started afresh and published the lower one.
     */
    @Test
    void aPublishersWatermarkNeverMovesBack() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        long t = 1_000_000_000_000L;
        feed.sendAll(Flux.just(new Event("left", "k", "A", t + 10_000)), 10, true).block();
        feed.sendAll(Flux.just(new Event("left", "k", "B", t + 4_000)), 10, true).block();
        assertThat(watermark(ns, "left", "feed")).isEqualTo(t + 10_000);
        feed.watermark("left", t + 2_000).block();
        assertThat(watermark(ns, "left", "feed")).isEqualTo(t + 10_000);
        feed.sendAll(Flux.just(new Event("left", "k", "C", t + 12_000)), 10, true).block();
        assertThat(watermark(ns, "left", "feed")).isEqualTo(t + 12_000);
    }

    private static long redisNow() {
        return RedisTestSupport.template().execute(c -> c.serverCommands().time()).blockFirst();
    }

    /**
     * Live: left publishes L1 and Lf (stamped 50 s ahead) in one batch; right publishes R1, 1.6 s later by event time;
     * then left publishes its on-time L2 (0.5 s after L1's second, before R1). With the watermark at 50 s ahead, R1
     * was processed before L2 was read and L2's window had closed: late. Capped, R1 waits for left's watermark.
     */
    @Test
    void onTimeRecordsAfterAFutureStampedOneAreNotLateDownstream() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        EventPublisher left = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "left-feed");
        EventPublisher right = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "right-feed");
        long base = System.currentTimeMillis() / 1000 * 1000;   // a second's start, at most now
        left.sendAll(Flux.just(new Event("left", "k", "L1", base), new Event("left", "k", "Lf", base + 50_000)), 10, true).block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns)
                .withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(InputAlignment.byWatermarks()), RedisTestSupport.template())) {
            runtime.start();
            // R1 at base + 3.6 s, published once it is no more than the 1 s lead ahead of its arrival
            sleepUntil(base + 2_700);
            right.sendAll(Flux.just(new Event("right", "k", "R1", base + 3_600)), 10, true).block();
            // wait until R1 was processed (watermark 50 s ahead) or is held (capped)
            long deadline = System.currentTimeMillis() + 20_000;
            // (L1 and Lf wait for right's first watermark in either case)
            while (runtime.counters().recordsIn() < 3
                    && !(runtime.counters().recordsIn() == 2 && runtime.tasks().stream().mapToLong(StreamTask::alignerHeld).sum() == 1)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            left.sendAll(Flux.just(new Event("left", "k", "L2", base + 2_000)), 10, true).block();
            left.watermark("left", Long.MAX_VALUE).block();
            right.watermark("right", Long.MAX_VALUE).block();
            runtime.inputEnded("left");
            runtime.inputEnded("right");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("%s", runtime.undrained()).isTrue();
            assertThat(runtime.counters().droppedLate()).as("on-time records made late").isZero();
            assertThat(runtime.counters().recordsIn()).isEqualTo(4);
        }
    }

    /**
     * Found in review, 2026-12-06: the cap was the ms of the entry ids the batch got, and a stream that once took an entry
     * with an explicit id a day ahead gives every later id that day's ms — an event stamped an hour ahead moved the
     * watermark an hour on. The cap is Redis' TIME now.
     */
    @Test
    void aFarFutureEntryIdInTheStreamDoesNotLiftTheCap() {
        String ns = RedisTestSupport.freshNamespace();
        long redisNow = redisNow();
        RedisTestSupport.template().opsForStream().add(org.springframework.data.redis.connection.stream.StreamRecords.newRecord()
                .in(new StreamKeys(ns).stream("left", 0)).ofMap(Map.of("x", "y"))
                .withId(org.springframework.data.redis.connection.stream.RecordId.of(redisNow + 86_400_000L, 0))).block();
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        feed.sendAll(Flux.just(new Event("left", "k", "L", redisNow + 3_600_000)), 10, true).block();
        assertThat(watermark(ns, "left", "feed")).as("capped at Redis' clock + 1 s").isLessThanOrEqualTo(redisNow() + 1_000);
    }

    /** Found in review, 2026-12-06: an id at or beyond 2^63 ms in the stream gave the watermark -9223372036854774808. */
    @Test
    void anEntryIdBeyond2pow63MsInTheStreamLeavesAnOnTimeWatermarkAsItIs() {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.template().opsForStream().add(org.springframework.data.redis.connection.stream.StreamRecords.newRecord()
                .in(new StreamKeys(ns).stream("left", 0)).ofMap(Map.of("x", "y"))
                .withId(org.springframework.data.redis.connection.stream.RecordId.of("18446744073709551614-0"))).block();
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        long redisNow = redisNow();
        feed.sendAll(Flux.just(new Event("left", "k", "L", redisNow - 5_000)), 10, true).block();
        assertThat(watermark(ns, "left", "feed")).isEqualTo(redisNow - 5_000);
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static long watermark(String ns, String stream, String producer) {
        Map<String, String> marks = RedisTestSupport.template().<String, String>opsForHash()
                .entries(new StreamKeys(ns).watermarks(stream, 0))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
        return Long.parseLong(marks.get(producer));
    }
}
