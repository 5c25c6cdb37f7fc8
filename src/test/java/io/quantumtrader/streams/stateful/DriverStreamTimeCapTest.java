package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.stateful.TestEvents.DailyTotal;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FutureStampedRecordTest} in the {@link TopologyTestDriver}: with the runtime's {@link IngestLimits} the driver
 * caps stream time at a record's arrival (its mocked wall clock when piped) + the stream-time lead (1 s), as the
 * runtime does, so the on-time ticks piped after one stamped 50 s ahead are not late. Before (2026-12-06) the driver
 * never capped: the tick stamped ahead moved stream time 50 s on and the driver dropped the next ~45 s of ticks as
 * late, where the runtime kept them.
 */
class DriverStreamTimeCapTest {

    static final long SIZE = FutureStampedRecordTest.SIZE;

    @Test
    void aRecordPipedAheadOfTheWallClockMakesNoOnTimeRecordLate() {
        long base = 1_700_000_000_000L;
        try (TopologyTestDriver driver = new TopologyTestDriver(FutureStampedRecordTest.volumes(), Instant.ofEpochMilli(base),
                IngestLimits.defaults())) {
            TestInputStream<Tick> ticks = driver.createInputStream("ticks");
            ticks.pipeInput("BTC", new Tick("BTC", 1, 1), base);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            ticks.pipeInput("BTC", new Tick("BTC", 1, 100), base + 51_000);   // stamped 50 s ahead of its arrival
            for (long t = 2_000; t <= 70_000; t += 2_000) {                    // on time: every 2 s for 68 s
                driver.advanceWallClockTime(Duration.ofSeconds(2).minusMillis(t == 2_000 ? 1_000 : 0));
                ticks.pipeInput("BTC", new Tick("BTC", 1, 1), base + t);
            }
            assertThat(driver.droppedLateRecords()).as("on-time ticks made late").isZero();
            // stream time 70 s closes every window ending by 65 s: five ticks each, and the future tick in [50 s, 60 s)
            List<DailyTotal> expected = new ArrayList<>();
            for (long start = 0; start <= 50_000; start += SIZE) {
                expected.add(new DailyTotal(base + start, start == 50_000 ? 105.0 : 5.0));
            }
            assertThat(driver.createOutputStream("volumes", DailyTotal.class).readValuesToList()).isEqualTo(expected);
        }
    }

    /** The driver's other constructors leave event times unrelated to the mocked wall clock: no cap. */
    @Test
    void withoutLimitsEventTimesNeedNotFollowTheWallClock() {
        try (TopologyTestDriver driver = new TopologyTestDriver(FutureStampedRecordTest.volumes())) {
            TestInputStream<Tick> ticks = driver.createInputStream("ticks");
            long base = 1_700_000_000_000L;   // the wall clock stays at the epoch
            ticks.pipeInput("BTC", new Tick("BTC", 1, 1), base);
            ticks.pipeInput("BTC", new Tick("BTC", 1, 1), base + 16_000);   // closes [0, 10 s)
            assertThat(driver.createOutputStream("volumes", DailyTotal.class).readValuesToList())
                    .containsExactly(new DailyTotal(base, 1.0));
        }
    }

    /**
     * Aligned inputs: a record piped 50 s ahead of the wall clock is ordered by the time it moves stream time to (the
     * clock + 1 s), as the runtime's aligner orders it, and its input's watermark is capped alike: it comes before a
     * record of the other input stamped 3 s on. Before (2026-12-06) the driver ordered it at its event time, after.
     */
    @Test
    void alignedInputsOrderARecordPipedAheadByItsCappedTime() {
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("merged-ahead");
        b.stream("left", String.class).merge(b.stream("right", String.class), io.quantumtrader.streams.dsl.Named.as("merge"))
                .to("merged");
        long base = 1_700_000_000_000L;
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), Instant.ofEpochMilli(base), IngestLimits.defaults(),
                io.quantumtrader.streams.runtime.InputAlignment.byWatermarks())) {
            driver.<String>createInputStream("left").pipeInput("k", "ahead", base + 50_000);
            driver.<String>createInputStream("right").pipeInput("k", "on-time", base + 3_000);
            driver.endInput("left");
            driver.endInput("right");
            assertThat(driver.createOutputStream("merged", String.class).readValuesToList()).containsExactly("ahead", "on-time");
        }
    }
}
