package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.EmitStrategy;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Final results (ON_WINDOW_CLOSE) of windows whose records a processor upstream held. Found in review (2026-12-07): the window read the holder's earliestHeldTimestamp() after the holder's whole process() call, so records it
 * released in that call and that are still on their way to the window count as not held. HoldingProcessor releases
 * its held records in arrival order: H@15 reaches the window first, the hold reads "none", the close floor jumps to
 * stream time - grace, and H@5 (held until that very call) is dropped as late.
 */
class ReleasedTogetherCloseFloorTest {

    static Topology topology() {
        return topology("released-together", HoldingProcessor::new);
    }

    /** @return raw → {@code holder} → 10 ms windows counted, final results → out ("key@start:count") */
    static Topology topology(String id, io.quantumtrader.streams.processor.ProcessorSupplier<String, String, String, String> holder) {
        TopologyBuilder b = new TopologyBuilder(id);
        b.stream("raw", String.class)
                .process(holder, Named.as("holder"))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(10)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .count(Materialized.as("counts"))
                .toStream()
                .map((w, n) -> KeyValue.pair(w.key(), w.key() + "@" + w.start() + ":" + n), Named.as("unwindow"))
                .to("out");
        return b.build();
    }

    @Test
    void recordsReleasedInOneCallAllFindTheirWindowOpen() {
        try (TopologyTestDriver d = new TopologyTestDriver(topology(), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead())) {
            TestInputStream<String> raw = d.createInputStream("raw");
            raw.pipeInput("x", "H", 15);    // held, window [10, 20)
            raw.pipeInput("y", "H", 5);     // held, window [0, 10)
            raw.pipeInput("a", "a", 30);    // passes: windows stay open above 5, the earliest held
            raw.pipeInput("r", "R", 31);    // releases x@15, y@5, then itself
            raw.pipeInput("z", "z", 100);   // closes every window before it: their final results
            List<String> out = d.createOutputStream("out", String.class).readValuesToList();
            assertThat(out).as("both held records in their windows").contains("x@10:1", "y@0:1");
            assertThat(d.droppedLateRecords()).as("late records").isZero();
        }
    }
}
