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
        // 0_2 has published nothing yet: awaited (the input has no watermark) until the timeout
        assertThat(idleness.active(Map.of("app:0_0", "10", "app:0_1", "20"), expected).expected()).contains("app:0_2");
        now.addAndGet(3_000);
        assertThat(idleness.active(Map.of("app:0_0", "11", "app:0_1", "20"), expected).producers()).containsKeys("app:0_0", "app:0_1");
        now.addAndGet(2_500);   // 5.5 s after 0_2 was first awaited and 0_1 last moved; 0_0 moved 2.5 s ago
        ProducerIdleness.Active a = idleness.active(Map.of("app:0_0", "12", "app:0_1", "20"), expected);
        assertThat(a.producers()).containsOnlyKeys("app:0_0");
        assertThat(a.expected()).as("0_1 and 0_2 idle").containsExactly("app:0_0");
        assertThat(InputAligner.inputWatermark(a.producers(), "app:9_", a.expected())).as("the active producer's").isEqualTo(12);
        // once 0_1 moves again it counts again
        a = idleness.active(Map.of("app:0_0", "12", "app:0_1", "21"), expected);
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
     * punctuation), and is idle after the timeout once its mark stands still (its task stopped) or says it holds
     * nothing; the producers it reports as holding are the active ones with a heartbeat.
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
        now.addAndGet(5_000);   // the heartbeat stands still 5 s: its task stopped while holding
        a = idleness.active(watermarks, Map.of("app:0_0", "1020", "app:0_1", "0"), expected);
        assertThat(a.producers()).isEmpty();
        assertThat(a.holding()).isEmpty();
    }
}
