package io.quantumtrader.app;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Warm-up rounds of a benchmark, repeated until the JIT compilers have settled: a round ends the warm-up when the
 * compilers spent less than {@code settledShare} of its wall-clock time compiling, or after {@code maxRounds} rounds.
 * A fixed warm-up of 50,000 records left the C2 compiler at 17–20 % of the JVM's CPU samples during the first measured
 * phase of {@code bench --records 1000000} (async-profiler, docs/BENCHMARKS.md, 2026-12-04 20:07 section): the figures
 * then measured the compiler as well as the engine. The criterion is JMH's idea of warm-up iterations, with the
 * compilers' own clock as the signal instead of a fixed count.
 */
final class JitWarmup {

    /**
     * One warm-up round.
     *
     * @param number         1, 2, …
     * @param seconds        the round's wall-clock time, s
     * @param compileSeconds time the JIT compilers spent compiling during the round, s, summed over compiler threads
     *                       (so it may exceed {@code seconds}); negative when the JVM does not measure it
     */
    record Round(int number, double seconds, double compileSeconds) {

        /** @return compile time as a fraction of the round's wall-clock time (0.05 = 5 %); NaN when not measured */
        double compileShare() {
            return compileSeconds < 0 || seconds <= 0 ? Double.NaN : compileSeconds / seconds;
        }

        @Override
        public String toString() {
            return Double.isNaN(compileShare())
                    ? String.format(Locale.ROOT, "round %d: %.1f s", number, seconds)
                    : String.format(Locale.ROOT, "round %d: %.1f s, JIT compilers %.0f%% of it", number, seconds,
                    100 * compileShare());
        }
    }

    private JitWarmup() {
    }

    /**
     * Runs warm-up rounds until one is settled.
     *
     * @param maxRounds     at most this many rounds (≥ 1)
     * @param settledShare  a round whose compile time is below this fraction of its wall-clock time ends the warm-up
     *                      (0.05 = 5 %)
     * @param round         one round of work, given its number (1, 2, …)
     * @param compileMillis the JIT compilers' total compile time so far, ms; negative when the JVM does not measure it
     *                      (then no round counts as settled, and {@code maxRounds} rounds run)
     * @param nanoTime      the clock, ns ({@link System#nanoTime})
     * @return the rounds run, in order
     * @throws IllegalArgumentException when {@code maxRounds < 1}
     */
    static List<Round> run(int maxRounds, double settledShare, IntConsumer round, LongSupplier compileMillis,
                           LongSupplier nanoTime) {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("at least one warm-up round, not " + maxRounds);
        }
        List<Round> rounds = new ArrayList<>();
        for (int n = 1; n <= maxRounds; n++) {
            long compileBefore = compileMillis.getAsLong();
            long start = nanoTime.getAsLong();
            round.accept(n);
            double seconds = (nanoTime.getAsLong() - start) / 1e9;
            long compileAfter = compileMillis.getAsLong();
            double compileSeconds = compileBefore < 0 || compileAfter < 0 ? -1 : (compileAfter - compileBefore) / 1e3;
            Round r = new Round(n, seconds, compileSeconds);
            rounds.add(r);
            if (r.compileShare() < settledShare) {
                break;
            }
        }
        return rounds;
    }

    /** @return the JIT compilers' total compile time of this JVM so far, ms; -1 when it does not measure it */
    static long compileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
