package io.quantumtrader.app;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says so when a replay is stopped by a signal (Ctrl-C, {@code kill <pid>}) before its report: how many ticks it had
 * published, that {@code target/replay/report.json} is still the last run's, and how to resume. Until 2026-12-07 an
 * interrupted replay exited 130 without a word, or with a commit's {@code Connection reset by peer} alone (review).
 * Registered as a shutdown hook while the ticks are published and the report is written; {@link #close()} removes it.
 */
final class ReplayInterruption implements AutoCloseable {

    private final Thread hook;

    private ReplayInterruption(Thread hook) {
        this.hook = hook;
    }

    /**
     * @param err           where to say it (stderr)
     * @param namespace     the replay's Redis key namespace
     * @param published     ticks published so far
     * @param total         ticks of the replay
     * @param redisIsOwn    whether the replay started its Redis (no {@code REDIS_URL}): stopped with it, nothing to
     *                      resume from
     * @return the registered hook, to close when the replay ends by itself
     */
    static ReplayInterruption register(PrintStream err, String namespace, AtomicLong published, int total, boolean redisIsOwn) {
        Thread hook = new Thread(() -> {
            err.println(message(namespace, published.get(), total, redisIsOwn));
            err.flush();
        }, "replay-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        return new ReplayInterruption(hook);
    }

    /** @return the two lines: what was done, and how to go on */
    static String message(String namespace, long published, int total, boolean redisIsOwn) {
        return String.format("interrupted: the replay stopped after publishing %,d of %,d ticks, before its report "
                        + "(target/replay/report.json is the last run's)%n  %s", published, total,
                redisIsOwn
                        ? "its Redis was started for it and is gone: run it again (on REDIS_URL, a replay run again with its --namespace resumes)"
                        : "run it again with --namespace " + namespace + " and the same REDIS_URL to resume where it stopped");
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }
}
