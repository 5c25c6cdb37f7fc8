package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.EmitStrategy;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window stage that emits final results keeps its task's watermark below the earliest one still to come. The lag
 * (grace) bounds the watermark by the task's stream time, but a window closes on its own node's stream time: a record
 * filtered out before the window moved the task's stream time, and with it the watermark, past a window still open
 * at the window node, whose final result then came out older than the watermark already published — behind a later
 * record of the other input of an aligned merge downstream (review 2026-12-07: one filtered record changed the
 * output's order). The window's last results at the end of input hold nothing (they are never emitted).
 */
class WindowCloseWatermarkTest {

    static final long BASE = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    /** in → filter(not x) → 10 ms windows, no grace, final results → mid; mid + side merged by event time → out. */
    static Topology topology() {
        return topology("window-close-wm", "in", in -> in.filter((k, v) -> !v.startsWith("x"), Named.as("drop-x")));
    }

    /**
     * {@code input} → {@code before} → 10 ms windows, no grace, final results → mid; mid + side merged by event time
     * → out.
     */
    static Topology topology(String applicationId, String input,
                             java.util.function.UnaryOperator<EventStream<String, String>> before) {
        TopologyBuilder b = new TopologyBuilder(applicationId);
        before.apply(b.stream(input, String.class))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .count(Materialized.as("counts"))
                .toStream()
                .map((w, n) -> KeyValue.pair(w.key(), "W" + (w.start() - BASE) + ":" + n), Named.as("unwindow"))
                .to("mid");
        b.stream("mid", String.class).merge(b.stream("side", String.class), Named.as("merge")).to("out");
        return b.build();
    }

    static List<String> run(boolean withFiltered) {
        try (TopologyTestDriver d = new TopologyTestDriver(topology(), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> in = d.createInputStream("in");
            TestInputStream<String> side = d.createInputStream("side");
            side.pipeInput("s", "S20", BASE + 20);
            in.pipeInput("k", "a", BASE + 5);
            if (withFiltered) {
                in.pipeInput("k", "x", BASE + 50);   // filtered out before the window
            }
            in.pipeInput("k", "b", BASE + 60);
            d.endInput("in");
            d.endInput("side");
            return d.createOutputStream("out", String.class).readValuesToList();
        }
    }

    /**
     * A window's results still to come are no records held back: a task whose partition fell silent with a window open
     * (its processor holding nothing) is idle to its readers after the idle timeout as before, and the other input's
     * records go on; counted as holding, it kept the merged input waiting until the partition spoke again.
     */
    @Test
    void aSilentPartitionWithAWindowOpenIsStillIdle() {
        try (TopologyTestDriver d = new TopologyTestDriver(topology("window-open-idle", "raw",
                raw -> raw.process(HoldingProcessor::new, Named.as("holder"))), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(),
                InputAlignment.byWatermarks().withIdleTimeout(Duration.ofSeconds(5)))) {
            TestInputStream<String> raw = d.createInputStream("raw");
            TestInputStream<String> side = d.createInputStream("side");
            raw.pipeInput("k", "a", BASE + 5);   // opens [0, 10); then raw falls silent
            side.pipeInput("s", "S20", BASE + 20);
            side.pipeInput("s", "S30", BASE + 30);
            d.advanceWallClockTime(Duration.ofSeconds(60));
            assertThat(d.createOutputStream("out", String.class).readValuesToList())
                    .as("mid's producer idle: the side's records go on").containsExactly("S20", "S30");
        }
    }

    @Test
    void aRecordFilteredBeforeTheWindowDoesNotReorderItsFinalResult() {
        assertThat(run(false)).as("the window [0, 10) closes at b (60), its result (9 ms) before S20").containsExactly("W0:1", "S20");
        assertThat(run(true)).as("x (50) moved the task's stream time, not the window's").containsExactly("W0:1", "S20");
    }
}
