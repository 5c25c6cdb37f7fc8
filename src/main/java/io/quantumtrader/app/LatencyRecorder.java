package io.quantumtrader.app;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * One per-hop latency run at a fixed offered load, whatever carries the records (this engine in
 * {@link LatencyBenchmark}, Kafka Streams in {@code PeersBenchmark}): records are offered at {@code rate} per second
 * for {@code warmUpSeconds + seconds}, each one's due time noted ({@link #offer}); a probe reports each output it sees by the
 * record's index, and the outputs of records offered after the warm-up go into an HdrHistogram (µs, 3 significant
 * digits, up to 60 s). Thread-safe for one offering thread and one probe thread.
 */
final class LatencyRecorder {

    /** 1 once record i's output was seen ({@link #seen}). */
    private final java.util.concurrent.atomic.AtomicIntegerArray firstSeen;
    private final java.util.concurrent.atomic.AtomicLong duplicates = new java.util.concurrent.atomic.AtomicLong();
    private final int rate;
    private final int warmUp;
    private final long[] sentAt;
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong received = new AtomicLong();

    /**
     * @param rate          offered load, records/s (at least 1)
     * @param warmUpSeconds seconds offered first at the same rate and not counted
     * @param seconds       seconds offered and counted
     */
    LatencyRecorder(int rate, int warmUpSeconds, int seconds) {
        this.rate = rate;
        this.warmUp = rate * warmUpSeconds;
        this.sentAt = new long[warmUp + rate * seconds];
        this.firstSeen = new java.util.concurrent.atomic.AtomicIntegerArray(sentAt.length);
    }

    /**
     * Offers every record at its due time ({@code i / rate} s after the start) and calls {@code send} with the record's
     * index (0-based); returns after the last. A record's latency is counted from its due time, not from when it was
     * sent: a sender held up (a GC pause, a {@code send} that blocked) sends the records due meanwhile late and back to
     * back, and counted from their sending they hid the hold-up from the percentiles (coordinated omission; found in
     * review, 2026-12-07: a 50 ms stall at 1,000/s showed as a p99 of 0 ms; {@code LatencyRecorderTest}).
     */
    void offer(IntConsumer send) {
        long start = System.nanoTime();
        for (int i = 0; i < sentAt.length; i++) {
            long due = start + (long) i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            sentAt[i] = due;
            send.accept(i);
        }
    }

    /**
     * The probe saw the output of record {@code index} at {@code nowNanos} ({@link System#nanoTime()}); counted in the
     * histogram unless it was offered during the warm-up.
     */
    void seen(int index, long nowNanos) {
        // each record once: a duplicated output (an at-least-once re-delivery) made allSeen() true while another
        // record's output was never seen, and entered the percentiles twice (found in review, 2026-12-07)
        if (firstSeen.getAndSet(index, 1) != 0) {
            duplicates.incrementAndGet();
            return;
        }
        if (index >= warmUp) {
            histogram.recordValue(Math.max(0, (nowNanos - sentAt[index]) / 1_000));
        }
        received.incrementAndGet();
    }

    /** @return outputs seen again for a record already seen (at-least-once re-deliveries), not counted */
    long duplicates() {
        return duplicates.get();
    }

    /** @return true once the outputs of all records were seen */
    boolean allSeen() {
        return received.get() >= sentAt.length;
    }

    /** Waits until the outputs of all records were seen, or {@code timeout} passed (checking every 20 ms). */
    void awaitAllSeen(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!allSeen() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** @return e.g. {@code "198 of 200 outputs seen"} */
    String seenOfSent() {
        return String.format("%,d of %,d outputs seen", received.get(), sentAt.length)
                + (duplicates.get() > 0 ? String.format(", %,d seen twice", duplicates.get()) : "");
    }

    /** @return e.g. {@code p50 … µs  p99 … µs  p99.9 … µs  max … µs  (29,998 of 30,000 outputs seen)} */
    String summary() {
        return String.format("p50 %,8d µs  p99 %,8d µs  p99.9 %,8d µs  max %,8d µs  (%,d of %,d outputs seen)",
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), received.get(), sentAt.length)
                + (duplicates.get() > 0 ? String.format(" (%,d outputs seen twice, not counted)", duplicates.get()) : "");
    }

    /** @return the latencies of the counted records, µs */
    Histogram histogram() {
        return histogram;
    }
}
