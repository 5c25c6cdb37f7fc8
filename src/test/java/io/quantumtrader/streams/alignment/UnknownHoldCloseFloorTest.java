package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): a holder whose earliestHeldTimestamp() is Long.MIN_VALUE ("unknown: nothing closes", Stage.upstreamHolds)
 * at the first record reaching the window leaves the close floor unwritten (advanceStreamTime(MIN) is a no-op); the
 * next record then takes the upgrade fallback (floor = stream time - grace) and closes the window of the held record.
 * The same holder answering the exact held time keeps it open.
 */
class UnknownHoldCloseFloorTest {

    static Topology topology(boolean unknown) {
        return ReleasedTogetherCloseFloorTest.topology("unknown-hold-" + unknown, () -> new HoldingProcessor() {
            @Override
            public long earliestHeldTimestamp() {
                long exact = super.earliestHeldTimestamp();
                return unknown && exact != Long.MAX_VALUE ? Long.MIN_VALUE : exact;
            }
        });
    }

    static List<String> run(boolean unknown, TopologyTestDriver[] keep) {
        TopologyTestDriver d = new TopologyTestDriver(topology(unknown), Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead());
        keep[0] = d;
        TestInputStream<String> raw = d.createInputStream("raw");
        raw.pipeInput("h", "H", 5);     // held: window [0, 10)
        raw.pipeInput("a", "a", 10);    // first record at the window
        raw.pipeInput("b", "b", 20);
        raw.pipeInput("r", "R", 21);    // releases h@5, then itself
        raw.pipeInput("z", "z", 100);   // closes every window before it: their final results
        return d.createOutputStream("out", String.class).readValuesToList();
    }

    @Test
    void anUnknownHoldKeepsTheHeldRecordsWindowOpenAsAKnownOneDoes() {
        TopologyTestDriver[] d = new TopologyTestDriver[1];
        List<String> known = run(false, d);
        long knownLate = d[0].droppedLateRecords();
        d[0].close();
        List<String> unknown = run(true, d);
        long unknownLate = d[0].droppedLateRecords();
        d[0].close();
        assertThat(known).as("exact held time: h@5 is in its window").contains("h@0:1");
        assertThat(knownLate).isZero();
        assertThat(unknown).as("held time unknown (Long.MIN_VALUE: nothing closes)").contains("h@0:1");
        assertThat(unknownLate).as("late records with the unknown hold").isZero();
    }
}
