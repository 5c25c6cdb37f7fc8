package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ProducerIdleness} with a hand-moved clock. */
class ProducerIdlenessTest {

    @Test
    void aProducerWhoseWatermarkStandsStillPastTheTimeoutIsLeftOutUntilItMovesAgain() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get);
        List<String> expected = List.of("app:0_0", "app:0_1", "app:0_2");
        // 0_2 runs (its hold mark says it holds nothing) and has published no watermark yet: awaited (the input has
        // no watermark) until the timeout
        Map<String, String> marks = Map.of("app:0_2", "0");
        assertThat(idleness.active(Map.of("app:0_0", "10", "app:0_1", "20"), marks, expected).expected()).contains("app:0_2");
        now.addAndGet(3_000);
        assertThat(idleness.active(Map.of("app:0_0", "11", "app:0_1", "20"), marks, expected).producers()).containsKeys("app:0_0", "app:0_1");
        now.addAndGet(2_500);   // 5.5 s after 0_2 was first awaited and 0_1 last moved; 0_0 moved 2.5 s ago
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "12", "app:0_1", "20"), marks, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_0");
        assertThat(a.expected()).as("0_1 and 0_2 idle").containsExactly("app:0_0");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).as("the active producer's").isEqualTo(12);
        // once 0_1 moves again it counts again
        a = idleness.active(Map.of("app:0_0", "12", "app:0_1", "21"), marks, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_0", "app:0_1");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).isEqualTo(12);
        assertThat(a.expected()).as("0_2 still idle").containsExactly("app:0_0", "app:0_1");
    }

    @Test
    void withoutATimeoutNothingIsLeftOut() {
        AtomicLong now = new AtomicLong();
        ProducerIdleness idleness = new ProducerIdleness(null, now::get);
        now.addAndGet(Duration.ofDays(1).toMillis());
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "10"), List.of("app:0_0", "app:0_1"));
        assertThat(a.producers()).containsOnlyKeys("app:0_0");
        assertThat(a.expected()).containsExactly("app:0_0", "app:0_1");
    }

    /**
     * A producer whose watermark a hold pins stays active while its hold mark changes (a heartbeat at every
     * punctuation), and is idle after the timeout once its mark says it holds nothing; the producers it reports as
     * holding are the active ones with a heartbeat. (A holding mark that stands still: {@link
     * #aHoldingMarkThatStandsStillIsAwaitedUntilItsTaskCouldHaveRestarted}.)
     */
    @Test
    void aProducerWhoseHoldMarkKeepsChangingIsNotIdle() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get);
        List<String> expected = List.of("app:0_0", "app:0_1");
        Map<String, String> watermarks = Map.of("app:0_0", "999", "app:0_1", "3000");
        ProducerIdleness.Active a = idleness.active(watermarks, Map.of("app:0_0", "1000", "app:0_1", "0"), expected);
        assertThat(a.holding()).containsExactly("app:0_0");
        for (int s = 1; s <= 20; s++) {   // 20 s: 0_0's watermark stands still, its heartbeat moves every second
            now.addAndGet(1_000);
            a = idleness.active(watermarks, Map.of("app:0_0", Long.toString(1000 + s), "app:0_1", "0"), expected);
        }
        assertThat(a.producers()).as("0_1 idle (nothing moved for 20 s), 0_0 holding").containsOnlyKeys("app:0_0");
        assertThat(a.holding()).containsExactly("app:0_0");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).isEqualTo(999);
        now.addAndGet(1_000);   // 0_0 released what it held: idle one timeout after its watermark stood still
        a = idleness.active(watermarks, Map.of("app:0_0", "0", "app:0_1", "0"), expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_0");
        assertThat(a.holding()).isEmpty();
        now.addAndGet(5_000);
        a = idleness.active(watermarks, Map.of("app:0_0", "0", "app:0_1", "0"), expected);
        assertThat(a.producers()).isEmpty();
    }

    /**
     * An expected producer task that has published neither a watermark nor a hold mark (not started, or its first
     * commit still to come) is awaited for {@link ProducerIdleness#NEVER_PUBLISHED_TIMEOUT_FACTOR} timeouts, not one:
     * left out after one, the others' watermarks passed the records its late first commit wrote. Once it writes a hold
     * mark (it runs) the plain timeout applies to that mark, and a heartbeat keeps it awaited and holding.
     */
    @Test
    void anExpectedProducerThatHasShownNothingIsAwaitedLongerThanTheTimeout() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get);
        List<String> expected = List.of("app:0_0", "app:0_1");
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "10"), Map.of(), expected);
        assertThat(a.expected()).containsExactly("app:0_0", "app:0_1");
        for (int s = 1; s <= 49; s++) {   // 49 s: 0_0 moves every second, 0_1 shows nothing
            now.addAndGet(1_000);
            a = idleness.active(Map.of("app:0_0", Long.toString(10 + s)), Map.of(), expected);
        }
        assertThat(a.expected()).as("0_1 awaited after 49 s (timeout 5 s)").containsExactly("app:0_0", "app:0_1");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).isEqualTo(InputAligner.NONE);
        now.addAndGet(1_000);   // 50 s = 10 timeouts
        a = idleness.active(Map.of("app:0_0", "60"), Map.of(), expected);
        assertThat(a.expected()).as("0_1 idle after 10 timeouts").containsExactly("app:0_0");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).isEqualTo(60);
    }

    @Test
    void anExpectedProducerWithAHoldMarkAndNoWatermarkIsIdleAfterTheTimeoutOfItsMark() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get);
        List<String> expected = List.of("app:0_0", "app:0_1", "app:0_2");
        Map<String, String> watermarks = Map.of("app:0_0", "10");
        ProducerIdleness.Active a = null;
        for (int s = 0; s <= 20; s++) {   // 0_1 holds (its heartbeat moves every second), 0_2 wrote "0" once
            a = idleness.active(watermarks, Map.of("app:0_1", Long.toString(5000 + s), "app:0_2", "0"), expected);
            now.addAndGet(1_000);
        }
        assertThat(a.expected()).as("0_0 idle, 0_2's mark stood still 20 s, 0_1 holding").containsExactly("app:0_1");
        assertThat(a.holding()).containsExactly("app:0_1");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).isEqualTo(InputAligner.NONE);
    }

    /** A producer task of a sub-topology that writes no hold marks: one timeout, as before (nothing tells it runs). */
    @Test
    void anExpectedProducerThatWritesNoHoldMarksIsIdleAfterOneTimeout() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get, p -> p.startsWith("app:1_"));
        List<String> expected = List.of("app:0_0", "app:0_1", "app:1_0");
        idleness.active(Map.of("app:0_0", "10"), Map.of(), expected);
        now.addAndGet(5_000);
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "11"), Map.of(), expected);
        assertThat(a.expected()).as("0_1 idle, 1_0 (may hold) awaited").containsExactly("app:0_0", "app:1_0");
    }

    /**
     * A producer whose hold mark says it holds records and stands still — its task stopped while it held: the mark of a
     * run that stopped before this reader started, or one whose process died while the reader watched it move; the
     * task restarts with the held record restored once its lease is free — is awaited until the task could have
     * restarted ({@link ProducerIdleness#holderRestartMs()}: {@link ProducerIdleness#NEVER_PUBLISHED_TIMEOUT_FACTOR}
     * timeouts, here 50 s), with a watermark or without one; a mark saying it holds nothing gets the plain timeout.
     * Before, it was idle after one timeout and the other producers' watermarks passed the restored held record: a
     * mark the reader had only seen stand still until the review of 2026-12-06, one it had seen move until 2026-12-07.
     */
    @Test
    void aHoldingMarkThatStandsStillIsAwaitedUntilItsTaskCouldHaveRestarted() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(5), now::get);
        assertThat(idleness.holderRestartMs()).isEqualTo(50_000);
        List<String> expected = List.of("app:0_0", "app:0_1", "app:0_2", "app:0_3");
        Map<String, String> marks = Map.of("app:0_0", "777", "app:0_1", "0", "app:0_2", "0", "app:0_3", "888");
        ProducerIdleness.Active a = null;
        for (int s = 0; s <= 49; s++) {   // 49 s: 0_1 moves every second; 0_0, 0_2 and 0_3 stand still
            a = idleness.active(Map.of("app:0_0", "999", "app:0_1", Long.toString(3000 + s), "app:0_2", "500"), marks,
                    expected);
            now.addAndGet(s < 49 ? 1_000 : 0);
        }
        assertThat(a.producers()).as("0_0 awaited (holding, standing still), 0_2 idle (holds nothing)")
                .containsOnlyKeys("app:0_0", "app:0_1");
        assertThat(a.expected()).containsExactly("app:0_0", "app:0_1", "app:0_3");
        assertThat(a.holding()).containsExactly("app:0_0", "app:0_3");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).as("0_3 has no watermark")
                .isEqualTo(InputAligner.NONE);
        now.addAndGet(1_000);   // 50 s = 10 timeouts
        a = idleness.active(Map.of("app:0_0", "999", "app:0_1", "3050", "app:0_2", "500"), marks, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_1");
        assertThat(a.expected()).containsExactly("app:0_1");
        // 0_0's task runs again: its mark moves, it is active again, and when it stops once more (the process died
        // while this reader watched it) it is awaited as long again, not one timeout
        Map<String, String> moved = Map.of("app:0_0", "779", "app:0_1", "0", "app:0_2", "0", "app:0_3", "888");
        a = idleness.active(Map.of("app:0_0", "999", "app:0_1", "3051", "app:0_2", "500"), moved, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_0", "app:0_1");
        now.addAndGet(49_999);
        a = idleness.active(Map.of("app:0_0", "999", "app:0_1", "3052", "app:0_2", "500"), moved, expected);
        assertThat(a.producers()).as("0_0's mark stood still 50 s less 1 ms after it moved").containsOnlyKeys("app:0_0", "app:0_1");
        now.addAndGet(1);
        a = idleness.active(Map.of("app:0_0", "999", "app:0_1", "3053", "app:0_2", "500"), moved, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_1");
    }

    /**
     * With a lease TTL longer than a fifth of ten idle timeouts, a holding producer that stands still is awaited two lease
     * TTLs: its dead owner's lease expires within one, its next owner takes it, restores it and writes its mark within
     * another. Here a 1 s idle timeout and a 10 s lease: 20 s, not 10 s.
     */
    @Test
    void aHoldingProducerIsAwaitedTwoLeaseTtlsWhenThatIsLongerThanTenTimeouts() {
        AtomicLong now = new AtomicLong(1_000);
        ProducerIdleness idleness = new ProducerIdleness(Duration.ofSeconds(1), now::get, p -> true, Duration.ofSeconds(10));
        assertThat(idleness.holderRestartMs()).isEqualTo(20_000);
        List<String> expected = List.of("app:0_0", "app:0_1", "app:0_2");
        Map<String, String> marks = Map.of("app:0_0", "777");
        idleness.active(Map.of("app:0_0", "999"), Map.of("app:0_0", "776"), expected);
        idleness.active(Map.of("app:0_0", "999"), marks, expected);   // seen to move
        for (int s = 0; s < 19; s++) {   // 0_0's process died after its heartbeat 777; 0_2 has shown nothing
            now.addAndGet(1_000);
            ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "999", "app:0_1", Long.toString(s)), marks, expected);
            assertThat(a.producers()).as("after %d s", s + 1).containsKey("app:0_0");
            assertThat(a.expected()).as("after %d s", s + 1).contains("app:0_2");
        }
        now.addAndGet(1_000);
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "999", "app:0_1", "19"), marks, expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_1");
        assertThat(a.expected()).containsExactly("app:0_1");
    }
}
