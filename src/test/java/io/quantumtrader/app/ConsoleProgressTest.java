package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConsoleProgress} in a log (no terminal), on a clock of its own. */
class ConsoleProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLogGetsALineEachTenthAndAtLeastEveryThirtySecondsWhileWorkIsDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(5 * SECOND);
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "replay", 1000,
                false, now::get);
        progress.update(0);                 // 0 %: the first line
        now.addAndGet(SECOND);
        progress.update(5);                 // same tenth, 1 s later: nothing
        progress.update(100);               // 10 %
        now.addAndGet(29 * SECOND);
        progress.update(150);               // 29 s after the last line: nothing
        now.addAndGet(SECOND);
        progress.update(160);               // 30 s without a line (a paced replay): a line
        now.addAndGet(SECOND);
        progress.update(170);
        progress.update(1000);              // done
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "replay   0% 0/1,000 0/s", "replay  10% 100/1,000 100/s", "replay  16% 160/1,000 5/s",
                "replay 100% 1,000/1,000 31/s");
    }

    /** A resumed replay: the 600 units found done count in the bar, not in this run's rate (review 2026-12-07). */
    @Test
    void unitsDoneBeforeCountInTheBarNotInTheRate() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(5 * SECOND);
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "replay", 1000,
                false, now::get).startingAt(600);
        progress.update(600);
        now.addAndGet(4 * SECOND);
        progress.update(1000);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "replay  60% 600/1,000 0/s", "replay 100% 1,000/1,000 100/s");
    }
}
