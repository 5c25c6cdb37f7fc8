package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * At the end of input a processor's stream-time punctuations run at stream time Long.MAX_VALUE (Stage.END_OF_INPUT);
 * a punctuator that forwards at its punctuation time (the usual Kafka pattern, as EndOfInputPunctuationTest's ticker)
 * then sends a record stamped Long.MAX_VALUE to a windowed aggregation downstream. TimeWindows.windowStartsFor loops
 * while start <= timestamp, and every long is <= Long.MAX_VALUE: start += advance overflows and the loop never ends,
 * filling a list until the heap is gone (the task hangs, then dies with an OutOfMemoryError): found in review,
 * 2026-12-07. Now the window drops such a record, counted as {@code timestamp_out_of_range}.
 */
class EndOfInputRecordIntoWindowTest {

    static Topology tickerIntoWindow() {
        TopologyBuilder b = new TopologyBuilder("ticker-window");
        b.stream("in", String.class)
                .process(EndOfInputPunctuationTest.Ticker::new, Named.as("ticker"))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count(Materialized.as("ticks-per-minute"))
                .toStream()
                .mapValues(n -> n, Named.as("counts"))
                .to("counts");
        return b.build();
    }

    @Test
    void theEndOfInputPunctuationsRecordDoesNotHangTheWindow() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (TopologyTestDriver driver = new TopologyTestDriver(tickerIntoWindow(), Instant.EPOCH,
                    IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
                driver.<String>createInputStream("in").pipeInput("k", "a", 1_000);
                driver.endInput("in");   // the ticker's end-of-input punctuation forwards at Long.MAX_VALUE
                org.assertj.core.api.Assertions.assertThat(driver.droppedRecords())
                        .containsEntry("ticks-per-minute-window-aggregate|timestamp_out_of_range", 1L);
            }
        });
    }

    @Test
    void windowStartsForTheLargestTimestampEnds() {
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)).windowStartsFor(Long.MAX_VALUE));
    }
}
