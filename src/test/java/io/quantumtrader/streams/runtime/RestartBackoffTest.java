package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's restart delay doubles with failures in a row and comes back to the minimum once the task made progress, or
 * a minute after its last failure (before, a task that had failed a few times in its life waited up to 10 s at every
 * later restart).
 */
class RestartBackoffTest {

    @Test
    void doublesWhileFailingWithoutProgressAndStartsOverAfterProgress() {
        AtomicLong committed = new AtomicLong();
        AtomicLong clock = new AtomicLong();
        RestartBackoff backoff = new RestartBackoff(committed::get, () -> 0.5, clock::get); // no jitter: factor 1
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(800));
        for (int i = 0; i < 30; i++) {
            assertThat(backoff.next()).isLessThanOrEqualTo(RestartBackoff.MAX);
        }
        assertThat(backoff.next()).isEqualTo(RestartBackoff.MAX);

        committed.addAndGet(20); // the restarted run committed a batch, then failed again
        assertThat(backoff.next()).isEqualTo(RestartBackoff.MIN);
        assertThat(backoff.failuresInARow()).isEqualTo(1);
        committed.addAndGet(20);
        assertThat(backoff.next()).isEqualTo(RestartBackoff.MIN);
    }

    @Test
    void jitterStaysWithinHalfAndOneAndAHalfTimesAndUnderTheMaximum() {
        AtomicLong committed = new AtomicLong();
        AtomicLong clock = new AtomicLong();
        assertThat(new RestartBackoff(committed::get, () -> 0.0, clock::get).next()).isEqualTo(Duration.ofMillis(100));
        assertThat(new RestartBackoff(committed::get, () -> 0.999_999, clock::get).next()).isEqualTo(Duration.ofMillis(300));
        RestartBackoff high = new RestartBackoff(committed::get, () -> 0.999_999, clock::get);
        for (int i = 0; i < 10; i++) {
            high.next();
        }
        assertThat(high.next()).isEqualTo(RestartBackoff.MAX);
    }

    @Test
    void aFailureLongAfterTheOneBeforeIsNotInARowWithIt() {
        AtomicLong clock = new AtomicLong();
        RestartBackoff backoff = new RestartBackoff(() -> 0L, () -> 0.5, clock::get); // an idle input: no progress
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
        clock.addAndGet(1_000);
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
        clock.addAndGet(RestartBackoff.FORGET_AFTER.toMillis() + 1);
        assertThat(backoff.next()).isEqualTo(RestartBackoff.MIN);
    }
}
