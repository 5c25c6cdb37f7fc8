package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReplayPacing} in virtual time: ticks when their event time comes, and a gap in the data said before its wait. */
class ReplayPacingTest {

    private static final long T0 = 1_385_337_600_000L;   // 2013-11-25T00:00:00Z

    @Test
    void aGapInTheMarketDataIsSaidBeforeItsWaitStarts() {
        // event times: 0, 10 s, then a 2 h gap, 2 h 00 m 10 s, and one out of order (1 h)
        List<Long> ticks = List.of(T0, T0 + 10_000, T0 + 7_210_000, T0 + 7_220_000, T0 + 3_600_000);
        List<String> said = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> ReplayPacing.paced(ticks, t -> t, 60, said::add))
                .expectSubscription()
                .expectNext(T0)
                .expectNoEvent(Duration.ofMillis(166))
                .expectNext(T0 + 10_000)   // 10 market seconds at 60 per second: 166 ms
                .then(() -> assertThat(said).containsExactly("no trade in the market data from 2013-11-25T00:00:10Z to "
                        + "2013-11-25T02:00:10Z (2h 0m): the next tick is published in 2m 0s (--speed 60)"))
                .expectNoEvent(Duration.ofMillis(120_166 - 166 - 1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(T0 + 7_210_000)
                .expectNoEvent(Duration.ofMillis(166))
                .thenAwait(Duration.ofMillis(1))   // 7,220 market seconds at 60 per second: 120,333 ms
                .expectNext(T0 + 7_220_000)
                .expectNext(T0 + 3_600_000)   // its time has passed: at once, and no gap said
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(said).hasSize(1);
    }

    /**
     * 1,000 ticks 10 ms apart at --speed 1 (100 per second), each taking 20 ms downstream (virtual time): the replay falls
     * 10 ms behind per tick, and says so once 5 s behind (then at most every 30 s; it ends 10 s behind). Before (review
     * 2026-12-07) nothing said it.
     */
    @Test
    void aReplayThatFallsBehindItsPaceSaysSo() {
        List<Long> ticks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ticks.add(T0 + 10L * i);
        }
        List<String> said = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> ReplayPacing.paced(ticks, t -> t, 1, said::add)
                        .concatMap(t -> reactor.core.publisher.Mono.delay(Duration.ofMillis(20)).thenReturn(t)))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(25))
                .expectNextCount(1_000)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(said).singleElement().asString().isEqualTo("5s behind --speed 1: the ticks cannot be published that fast "
                + "here (502 in 10s); the replay goes on as fast as it can");
    }

    @Test
    void withoutASpeedNothingWaits() {
        List<String> said = new ArrayList<>();
        StepVerifier.create(ReplayPacing.paced(List.of(T0, T0 + 86_400_000L), t -> t, 0, said::add))
                .expectNext(T0, T0 + 86_400_000L).expectComplete().verify(Duration.ofSeconds(10));
        assertThat(said).isEmpty();
    }

    @Test
    void durationsAreSaidInTheirTwoLargestUnits() {
        assertThat(ReplayPacing.human(Duration.ofSeconds(31))).isEqualTo("31s");
        assertThat(ReplayPacing.human(Duration.ofSeconds(249))).isEqualTo("4m 9s");
        assertThat(ReplayPacing.human(Duration.ofMinutes(20 * 60 + 47))).isEqualTo("20h 47m");
        assertThat(ReplayPacing.human(Duration.ofHours(51))).isEqualTo("2d 3h");
    }
}
