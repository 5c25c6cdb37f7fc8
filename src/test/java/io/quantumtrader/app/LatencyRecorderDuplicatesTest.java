package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): LatencyRecorder counted outputs, not distinct records: a duplicated output (an at-least-once re-delivery, e.g.
 * Kafka Streams at_least_once after a rebalance, or a re-processed batch) made allSeen() true while another record's
 * output was never seen, so a lost record passed the "all outputs seen" check and the summary said "N of N outputs seen".
 */
class LatencyRecorderDuplicatesTest {

    @Test
    void aDuplicateDoesNotHideALostRecord() {
        LatencyRecorder recorder = new LatencyRecorder(2, 0, 1);   // 2 records, none in warm-up
        long now = System.nanoTime();
        recorder.offer(i -> { });
        recorder.seen(0, now + 1_000_000);
        recorder.seen(0, now + 2_000_000);                         // record 0's output seen twice, record 1's never
        assertThat(recorder.allSeen()).as("record 1 was never seen: " + recorder.summary()).isFalse();
    }

    @Test
    void aDuplicateIsNotCountedTwiceInThePercentiles() {
        LatencyRecorder recorder = new LatencyRecorder(2, 0, 1);
        recorder.offer(i -> { });
        long now = System.nanoTime();
        recorder.seen(0, now);
        recorder.seen(0, now);
        recorder.seen(1, now);
        assertThat(recorder.histogram().getTotalCount()).as("latencies recorded for 2 records").isEqualTo(2);
    }
}
