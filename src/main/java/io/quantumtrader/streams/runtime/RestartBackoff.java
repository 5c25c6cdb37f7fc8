package io.quantumtrader.streams.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * How long a failed task waits before it restarts: {@link #MIN} doubling with each failure in a row, up to {@link #MAX},
 * with ±50 % jitter (as Reactor's {@code Retry.backoff}); a task that made progress (committed records) since its last
 * failure, or whose last failure is more than {@link #FORGET_AFTER} ago (an idle input makes no progress), starts again
 * from {@link #MIN}.
 *
 * <p>Why not {@code Retry.backoff} over the task's life, as before: it counts every failure since the task started, so
 * once a task had failed a few times, hours apart, every later restart waited up to 10 s. While replies were lost with
 * their connections now and then ({@code LostRepliesChaosTest}), a task restarted after each lost commit reply and
 * waited 6–8 s each time: it had 1,180 entries unread after 90 s.
 */
final class RestartBackoff {

    /** First delay after a run that made progress, ms scale. */
    static final Duration MIN = Duration.ofMillis(200);
    /** Longest delay, reached after six failures in a row without progress. */
    static final Duration MAX = Duration.ofSeconds(10);
    /** A failure this long after the one before is not "in a row" with it. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    private final LongSupplier progress;
    private final DoubleSupplier random;
    private final LongSupplier clockMs;
    private int inARow;
    private long progressAtLastFailure = Long.MIN_VALUE;
    private long lastFailureMs = Long.MIN_VALUE;

    /** @param progress a count that grows while the task makes progress (records it committed) */
    RestartBackoff(LongSupplier progress) {
        this(progress, () -> ThreadLocalRandom.current().nextDouble(), System::currentTimeMillis);
    }

    /**
     * @param random  uniform in [0, 1), for the jitter
     * @param clockMs the time, ms
     */
    RestartBackoff(LongSupplier progress, DoubleSupplier random, LongSupplier clockMs) {
        this.progress = progress;
        this.random = random;
        this.clockMs = clockMs;
    }

    /**
     * A failure: @return how long to wait before the restart, between half and one and a half times
     * {@code MIN × 2^(failures in a row − 1)}, at most {@link #MAX}
     */
    synchronized Duration next() {
        long done = progress.getAsLong();
        long now = clockMs.getAsLong();
        if (done != progressAtLastFailure || now - lastFailureMs > FORGET_AFTER.toMillis()) {
            inARow = 0;
        }
        progressAtLastFailure = done;
        lastFailureMs = now;
        long base = MIN.toMillis() << Math.min(inARow, 20);
        inARow++;
        long ms = Math.min(MAX.toMillis(), Math.max(1, Math.round(Math.min(base, MAX.toMillis()) * (0.5 + random.getAsDouble()))));
        return Duration.ofMillis(ms);
    }

    /** @return failures since the task last made progress */
    synchronized int failuresInARow() {
        return inARow;
    }
}
