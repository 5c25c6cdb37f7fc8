package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency is counted from each record's due time, so a sender held up (here: one send that blocks 200 ms at 1,000/s)
 * shows in the percentiles: the ~200 records due during the stall waited up to 200 ms. Found in review (2026-12-07):
 * counted from their actual sending, records sent late and back to back after the stall each showed ~0 latency, and
 * the stall was invisible (coordinated omission). Every output is "seen" at once by the send itself: the only
 * latency is the sender's.
 */
class LatencyRecorderCoordinatedOmissionTest {

    @Test
    void aStalledSenderShowsInThePercentiles() {
        LatencyRecorder recorder = new LatencyRecorder(1_000, 1, 1);   // 1 s unmeasured, then 1,000 records counted
        recorder.offer(i -> {
            if (i == 1_100) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));   // the sender stalls 200 ms
            }
            recorder.seen(i, System.nanoTime());
        });
        assertThat(recorder.allSeen()).isTrue();
        // ~20 % of the counted records were due during or just after the stall
        assertThat(recorder.histogram().getValueAtPercentile(90)).as("p90, µs").isGreaterThan(50_000);
        assertThat(recorder.histogram().getMaxValue()).as("max, µs").isGreaterThanOrEqualTo(190_000);
    }
}
