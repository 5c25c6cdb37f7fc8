package io.quantumtrader.streams.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size event-time windows, tumbling or hopping, with a grace period for out-of-order records
 * (Kafka Streams {@code TimeWindows} semantics): windows are {@code [start, start + size)} with {@code start} a
 * multiple of {@code advance} since the epoch, so daily windows are UTC days. A record is late, and dropped, when the
 * window's end is at or before {@code stream time - grace}.
 */
public final class TimeWindows {

    private final long sizeMs;
    private final long advanceMs;
    private final long graceMs;

    private TimeWindows(long sizeMs, long advanceMs, long graceMs) {
        if (sizeMs <= 0) {
            throw new IllegalArgumentException("window size must be positive, was " + sizeMs + " ms");
        }
        if (advanceMs <= 0 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("window advance must be in (0, size], was " + advanceMs + " ms for size " + sizeMs + " ms");
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("grace must not be negative, was " + graceMs + " ms");
        }
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.graceMs = graceMs;
    }

    /** Tumbling windows of {@code size}, no grace: a record is late as soon as stream time passed its window's end. */
    public static TimeWindows ofSizeWithNoGrace(Duration size) {
        return new TimeWindows(size.toMillis(), size.toMillis(), 0);
    }

    /** Tumbling windows of {@code size} that still accept records up to {@code grace} after their end (stream time). */
    public static TimeWindows ofSizeAndGrace(Duration size, Duration grace) {
        return new TimeWindows(size.toMillis(), size.toMillis(), grace.toMillis());
    }

    /** @return hopping windows that start every {@code advance} (must be in (0, size]) */
    public TimeWindows advanceBy(Duration advance) {
        return new TimeWindows(sizeMs, advance.toMillis(), graceMs);
    }

    /** @return window size in ms */
    public long sizeMs() {
        return sizeMs;
    }

    /** @return advance in ms (equal to size for tumbling windows) */
    public long advanceMs() {
        return advanceMs;
    }

    /** @return grace period in ms */
    public long gracePeriodMs() {
        return graceMs;
    }

    /**
     * @return the start (epoch ms) of every window containing {@code timestamp}, ascending (Kafka's windowsFor); near
     *         {@code Long.MAX_VALUE} the starts end where the next would overflow (found in review, 2026-12-07: the
     *         loop never ended for {@code Long.MAX_VALUE}, the end-of-input punctuation's time, and filled the heap)
     */
    public List<Long> windowStartsFor(long timestamp) {
        List<Long> starts = new ArrayList<>();
        long start = (Math.max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs;
        while (start <= timestamp) {
            starts.add(start);
            if (start > Long.MAX_VALUE - advanceMs) {
                break;
            }
            start += advanceMs;
        }
        return starts;
    }

    /** @return whether every window containing {@code timestamp} ends at a representable time (start + size ≤ Long.MAX_VALUE) */
    public boolean windowsEndInRange(long timestamp) {
        return timestamp <= Long.MAX_VALUE - sizeMs;
    }
}
