package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.EmitStrategy;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.stateful.TestEvents.DailyTotal;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record stamped ahead of its arrival (within the ingest skew) moves stream time only to its arrival + the
 * stream-time lead ({@code IngestLimits.maxStreamTimeLead}, 1 s): the ticks arriving on time after it are not late,
 * and its own window still closes once stream time passes it. Before (2026-12-06) a tick stamped 50 s ahead moved
 * stream time 50 s on, so every on-time tick of the next ~45 s was late for the 5 s grace of the candles and dropped.
 *
 * <p>Arrival is the ms of the entry id, so the entries are written with explicit ids 10 minutes in the past (a fresh
 * stream takes any increasing id): the test runs the whole 70 s of arrivals without waiting for the clock.
 */
class FutureStampedRecordTest {

    static final long SIZE = 10_000;

    /** Volume per 10 s window and symbol, 5 s grace (the trading candles' grace), final results only. */
    static Topology volumes() {
        TopologyBuilder b = new TopologyBuilder("volumes");
        b.stream("ticks", Tick.class)
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(SIZE), Duration.ofSeconds(5)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(() -> 0.0, (k, t, sum) -> sum + t.size(), Materialized.as("volume-10s"))
                .toStream()
                .map((wk, v) -> KeyValue.pair(wk.key(), new DailyTotal(wk.start(), v)), Named.as("unwindow"))
                .to("volumes");
        return b.build();
    }

    @Test
    void aRecordStampedAheadOfItsArrivalMakesNoOnTimeRecordLate() {
        String ns = RedisTestSupport.freshNamespace();
        long base = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / SIZE * SIZE;
        int[] seq = {0};
        // arrival (entry id ms), event time, size
        xadd(ns, base, base, 1, seq);
        xadd(ns, base + 1_000, base + 51_000, 100, seq);   // stamped 50 s ahead of its arrival
        for (long t = 2_000; t <= 70_000; t += 2_000) {      // on time: every 2 s for 68 s
            xadd(ns, base + t, base + t, 1, seq);
        }

        try (StreamsRuntime runtime = new StreamsRuntime(volumes(),
                StreamsConfig.defaults().withNamespace(ns).withBatchSize(4), RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().droppedLate()).as("on-time ticks made late").isZero();
            assertThat(runtime.counters().deadLettered()).isZero();
            assertThat(runtime.counters().dropped()).isZero();
        }
        // stream time 70 s closes every window ending by 65 s: five ticks each, and the future tick in [50 s, 60 s)
        List<DailyTotal> expected = new ArrayList<>();
        for (long start = 0; start <= 50_000; start += SIZE) {
            expected.add(new DailyTotal(base + start, start == 50_000 ? 105.0 : 5.0));
        }
        assertThat(RedisTestSupport.values(ns, "volumes", 0, DailyTotal.class)).isEqualTo(expected);
    }

    /**
     * The watermark a task publishes for aligned consumers downstream follows the same capped stream time: a tick
     * stamped 50 s ahead does not tell them that nothing earlier than 45 s from now will come (it did before).
     */
    @Test
    void theWatermarkPublishedDownstreamIsCappedTheSameWay() {
        String ns = RedisTestSupport.freshNamespace();
        long base = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / SIZE * SIZE;
        int[] seq = {0};
        xadd(ns, base, base, 1, seq);
        xadd(ns, base + 1_000, base + 51_000, 100, seq);
        xadd(ns, base + 2_000, base + 2_000, 1, seq);
        try (StreamsRuntime runtime = new StreamsRuntime(volumes(), StreamsConfig.defaults().withNamespace(ns)
                .withAlignment(io.quantumtrader.streams.runtime.InputAlignment.byWatermarks()), RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        Map<String, String> marks = RedisTestSupport.template().<String, String>opsForHash()
                .entries(new StreamKeys(ns).watermarks("volumes", 0))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
        // stream time base + 2 s (the future tick's arrival + 1 s lead, then the last tick), less the 5 s grace
        assertThat(marks).hasSize(1).containsValue(Long.toString(base + 2_000 - 5_000));
    }

    /**
     * Stream-time punctuation follows the same capped stream time: a tick stamped 50 s ahead does not fire the
     * punctuation of 50 s from now (it did before); the punctuations come as the on-time ticks reach each 10 s.
     */
    @Test
    void streamTimePunctuationIsNotMovedOnByAFutureRecord() {
        TopologyBuilder b = new TopologyBuilder("punctuated");
        b.stream("ticks", Tick.class)
                .process(() -> new io.quantumtrader.streams.processor.Processor<String, Tick, String, Long>() {
                    @Override
                    public void init(io.quantumtrader.streams.processor.ProcessorContext<String, Long> ctx) {
                        ctx.schedule(Duration.ofMillis(SIZE), io.quantumtrader.streams.processor.PunctuationType.STREAM_TIME,
                                time -> ctx.forward(new io.quantumtrader.streams.record.Record<>("all", time, time, null, null)));
                    }

                    @Override
                    public void process(io.quantumtrader.streams.record.Record<String, Tick> record) {
                    }
                }, Named.as("punctuator"))
                .to("punctuations");
        String ns = RedisTestSupport.freshNamespace();
        long base = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / SIZE * SIZE;
        int[] seq = {0};
        xadd(ns, base, base, 1, seq);
        xadd(ns, base + 1_000, base + 51_000, 100, seq);   // stamped 50 s ahead of its arrival
        for (long t = 2_000; t <= 20_000; t += 2_000) {
            xadd(ns, base + t, base + t, 1, seq);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(),
                StreamsConfig.defaults().withNamespace(ns).withBatchSize(4), RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(RedisTestSupport.values(ns, "punctuations", 0, Long.class))
                .containsExactly(base, base + 10_000, base + 20_000);
    }

    /**
     * Event-time alignment orders and holds an entry by the same capped time: a tick stamped 50 s ahead on one input
     * of a merge does not hold the on-time tick read after it on that input until the other input passes 50 s from
     * now (before, L3 came after every right record up to then).
     */
    @Test
    void alignmentDoesNotHoldOnTimeRecordsBehindAFutureOne() {
        TopologyBuilder b = new TopologyBuilder("aligned-merge");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge")).to("merged");
        String ns = RedisTestSupport.freshNamespace();
        long base = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / SIZE * SIZE;
        xaddValue(ns, "left", base, base, "L1");
        xaddValue(ns, "left", base + 1_000, base + 51_000, "L2");   // stamped 50 s ahead of its arrival
        xaddValue(ns, "left", base + 2_000, base + 2_000, "L3");
        xaddValue(ns, "right", base + 500, base + 500, "R1");
        xaddValue(ns, "right", base + 3_000, base + 3_000, "R2");
        xaddValue(ns, "right", base + 30_000, base + 30_000, "R3");
        var feed = RedisTestSupport.publisher(ns, io.quantumtrader.streams.redis.StreamCatalog.defaults());
        feed.watermark("left", Long.MAX_VALUE).block();   // both inputs complete: everything is released in order
        feed.watermark("right", Long.MAX_VALUE).block();
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns)
                .withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(io.quantumtrader.streams.runtime.InputAlignment.byWatermarks()), RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(RedisTestSupport.values(ns, "merged", 0, String.class))
                .as("L2 counts at its arrival + 1 s (base + 2 s), not at base + 51 s")
                .containsExactly("L1", "R1", "L2", "L3", "R2", "R3");
    }

    private static void xaddValue(String ns, String stream, long arrivalMs, long eventTimeMs, String value) {
        Map<String, String> fields = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode(stream, "test",
                stream + "-" + value, "k", value, eventTimeMs, null)));
        RedisTestSupport.template().opsForStream().add(StreamRecords.newRecord().in(new StreamKeys(ns).stream(stream, 0))
                .withId(RecordId.of(arrivalMs + "-1")).ofMap(fields)).block();
    }

    /** The cap itself: history replayed long after it happened is unaffected, an id ahead of the clock arrives now. */
    @Test
    void streamTimeOfCapsAtArrivalPlusLeadOnly() {
        io.quantumtrader.streams.runtime.IngestLimits limits = io.quantumtrader.streams.runtime.IngestLimits.defaults();
        long now = 1_800_000_000_000L;
        assertThat(limits.streamTimeOf(1_000_000_000_000L, now + "-0", now)).as("replayed history").isEqualTo(1_000_000_000_000L);
        assertThat(limits.streamTimeOf(now + 500, now + "-0", now)).as("within the 1 s lead").isEqualTo(now + 500);
        assertThat(limits.streamTimeOf(now + 50_000, now + "-0", now)).as("50 s ahead").isEqualTo(now + 1_000);
        assertThat(limits.streamTimeOf(now + 50_000, "99999999999999-0", now)).as("an id ahead of the clock").isEqualTo(now + 1_000);
        assertThat(limits.withMaxStreamTimeLead(Duration.ZERO).streamTimeOf(now + 1, now + "-0", now)).isEqualTo(now);
    }

    private static void xadd(String ns, long arrivalMs, long eventTimeMs, double size, int[] seq) {
        String id = "e" + (++seq[0]);
        Map<String, String> fields = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("ticks", "test", id,
                "BTC", new Tick("BTC", 100, size), eventTimeMs, null)));
        RedisTestSupport.template().opsForStream().add(StreamRecords.newRecord().in(new StreamKeys(ns).stream("ticks", 0))
                .withId(RecordId.of(arrivalMs + "-1")).ofMap(fields)).block();
    }
}
