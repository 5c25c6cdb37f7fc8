package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.EmitStrategy;
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
 * Found in review (2026-12-07): with an upstream hold, an ON_WINDOW_UPDATE window stays open far below stream time - size - grace (down to the
 * held record's time), so a record of another key that would have been late is aggregated and its update forwarded at
 * its own time; but the stage's watermark lag is still size + grace and it reports no hold of its own, so the task's
 * watermark (min(stream time - lag, held - 1)) is already past that update: an aligned merge downstream released the
 * other input's later record first. Windows are kept open for final results only now.
 */
class HeldOpenUpdateWatermarkTest {
    // Windows kept open under an upstream hold are those whose final results (ON_WINDOW_CLOSE) are emitted: their
    // results stay above the floor, which stays above the watermark; an update carries its record's time, so with
    // ON_WINDOW_UPDATE the windows close by Kafka's rule whatever is held upstream


    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("review-held-open-update");
        b.stream("raw", String.class)
                .process(HoldingProcessor::new, Named.as("holder"))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10)))
                .emitStrategy(EmitStrategy.onWindowUpdate())
                .count(Materialized.as("counts"))
                .toStream()
                .map((w, n) -> KeyValue.pair(w.key(), w.key() + "@" + w.start() + ":" + n), Named.as("unwindow"))
                .to("mid");
        b.stream("mid", String.class).merge(b.stream("side", String.class), Named.as("merge")).to("out");
        return b.build();
    }

    @Test
    void anUpdateOfAWindowKeptOpenIsNotBehindTheWatermark() {
        try (TopologyTestDriver d = new TopologyTestDriver(topology(), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> raw = d.createInputStream("raw");
            TestInputStream<String> side = d.createInputStream("side");
            side.pipeInput("s", "S13", 13);
            raw.pipeInput("h", "H", 15);    // held: windows ending after 15 stay open
            raw.pipeInput("a", "a", 40);    // stream time 40: watermark min(40 - 10, 15 - 1) = 14
            raw.pipeInput("x", "x", 12);    // window [10, 20) is open (ends after 15): counted, update at 12
            raw.pipeInput("r", "R", 41);
            d.endInput("raw");
            d.endInput("side");
            List<String> out = d.createOutputStream("out", String.class).readValuesToList();
            // updates keep Kafka's lateness: x is late (its window ended by stream time 40 - grace 0) and counted, so
            // no update comes out behind the watermark already published
            assertThat(out).as("out").doesNotContain("x@10:1").contains("S13", "a@40:1");
            assertThat(d.droppedLateRecords()).as("x, and h released at 41, dropped as late, counted").isEqualTo(2);
        }
    }
}
