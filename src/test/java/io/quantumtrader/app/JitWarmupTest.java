package io.quantumtrader.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link JitWarmup}: warm-up rounds end with the first round in which the compilers compiled for less than the settled
 * share of its wall-clock time. A scripted clock and compile counter stand in for the JVM's: each round takes 2 s, and
 * the compilers spend the scripted milliseconds in it.
 */
class JitWarmupTest {

    /** Round n (1-based) takes 2 s and the compilers spend {@code compileMsPerRound[n - 1]} ms in it. */
    private static List<JitWarmup.Round> run(int maxRounds, long... compileMsPerRound) {
        long[] clockNs = {0};
        long[] compileMs = {0};
        return JitWarmup.run(maxRounds, 0.05, n -> {
            clockNs[0] += 2_000_000_000L;
            compileMs[0] += compileMsPerRound[n - 1];
        }, () -> compileMs[0], () -> clockNs[0]);
    }

    @Test
    void stopsAtTheFirstRoundBelowTheSettledShare() {
        // 110 %, 30 %, 6 % (not below 5 %), then 4 %: four rounds
        List<JitWarmup.Round> rounds = run(8, 2_200, 600, 120, 80, 0, 0);
        assertThat(rounds).extracting(JitWarmup.Round::number).containsExactly(1, 2, 3, 4);
        assertThat(rounds.get(3).compileShare()).isEqualTo(0.04);
        assertThat(rounds.get(0).toString()).isEqualTo("round 1: 2.0 s, JIT compilers 110% of it");
    }

    @Test
    void stopsAfterTheLargestNumberOfRoundsWhenTheCompilersNeverSettle() {
        assertThat(run(3, 1_000, 1_000, 1_000, 1_000)).hasSize(3);
    }

    @Test
    void runsEveryRoundWhenTheJvmDoesNotMeasureCompileTime() {
        AtomicInteger rounds = new AtomicInteger();
        List<JitWarmup.Round> done = JitWarmup.run(3, 0.05, n -> rounds.incrementAndGet(), () -> -1, System::nanoTime);
        assertThat(rounds).hasValue(3);
        assertThat(done.get(0).compileShare()).isNaN();
        assertThat(done.get(0).toString()).startsWith("round 1: ").doesNotContain("JIT");
    }

    @Test
    void needsAtLeastOneRound() {
        assertThatThrownBy(() -> run(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one warm-up round, not 0");
    }

    @Test
    void thisJvmMeasuresItsCompileTime() {
        assertThat(JitWarmup.compileMillis()).isGreaterThanOrEqualTo(0);
    }
}
