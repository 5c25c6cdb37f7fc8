package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review of b02f9229 (2026-12-07; now the end waits 5 s at most). Processor#earliestHeldTimestamp's Javadoc: "After every input has ended the task publishes the end
 * of input whatever this returns (its end-of-input punctuation ... is the last chance to forward)". Since b02f9229 a
 * processor that still holds a record after the end's punctuation and has no wall-clock punctuation that releases it
 * (here: released only by a later "R" record, which never comes) keeps the end back for ever: the aligned merge
 * downstream never gets the end, and the side input's record S is never delivered.
 */
class EndWithNeverReleasedHoldTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    @Test
    void theEndIsPublishedWhateverEarliestHeldTimestampReturns() {
        try (TopologyTestDriver driver = new TopologyTestDriver(HoldingProcessor.topology("never-released", HoldingProcessor::new),
                Instant.EPOCH, IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            TestInputStream<String> side = driver.createInputStream("side");
            TestInputStream<String> raw = driver.createInputStream("raw");
            raw.pipeInput("k", "H1", BASE + 1_000);   // held; only an "R" record releases it
            side.pipeInput("k", "S", BASE + 2_000);
            driver.endInput("raw");
            driver.endInput("side");
            driver.advanceWallClockTime(Duration.ofMinutes(10));
            assertThat(driver.createOutputStream("out", String.class).readValuesToList())
                    .as("every input ended: S is delivered (the end went out whatever earliestHeldTimestamp returned)")
                    .contains("S");
        }
    }
}
