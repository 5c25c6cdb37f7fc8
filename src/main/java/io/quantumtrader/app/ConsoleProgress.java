package io.quantumtrader.app;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A progress bar for long work: redrawn in place on a terminal (at most every 100 ms); otherwise (CI logs, a file) one
 * line per 10 %, and one at least every {@link #QUIET_LINE_NANOS} 30 s while work is done: a paced replay
 * ({@code --speed 1}) spent many minutes between two tenths without a word (review 2026-12-07).
 */
final class ConsoleProgress {

    /** The longest a log-mode progress goes without a line while units are done: 30 s, in ns. */
    static final long QUIET_LINE_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long started;
    private int lastDecile = -1;
    private long lastDraw;
    /** Units done before this run (a resumed replay's ticks found in the namespace): not in the rate. */
    private long before;

    ConsoleProgress(PrintStream out, String label, long total) {
        this(out, label, total, System.console() != null, System::nanoTime);
    }

    /**
     * @param terminal redraw one line in place (a console) rather than print lines
     * @param nanoTime the clock, in ns ({@link System#nanoTime()})
     */
    ConsoleProgress(PrintStream out, String label, long total, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        this.lastDraw = started;
    }

    /**
     * @param done units done before this progress started (a resumed replay's ticks already published): counted in the
     *             bar, not in the rate, which is this run's (until 2026-12-07 a resumed replay's rate counted them, twice
     *             what it published: found in review)
     * @return this progress
     */
    ConsoleProgress startingAt(long done) {
        this.before = done;
        return this;
    }

    /** @param done units done so far */
    synchronized void update(long done) {
        int decile = (int) (done * 10 / total);
        long now = nanoTime.getAsLong();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = (int) (done * width / total);
            out.printf("\r%s [%s%s] %3d%% %,d/%,d %,.0f/s", label, "#".repeat(filled), " ".repeat(width - filled),
                    done * 100 / total, done, total, rate(done, now));
            if (done >= total) {
                out.println();
            }
        } else if (decile > lastDecile || now - lastDraw >= QUIET_LINE_NANOS) {
            lastDecile = Math.max(lastDecile, decile);
            lastDraw = now;
            out.printf("%s %3d%% %,d/%,d %,.0f/s%n", label, done * 100 / total, done, total, rate(done, now));
        }
        out.flush();
    }

    /**
     * Says {@code line} between two progress lines, prefixed with the label: on a terminal on a line of its own, below
     * the bar (redrawn with the next update).
     */
    synchronized void say(String line) {
        out.printf("%s%s: %s%n", terminal ? "\n" : "", label, line);
        out.flush();
    }

    private double rate(long done, long now) {
        double seconds = (now - started) / 1e9;
        return seconds > 0 ? Math.max(0, done - before) / seconds : 0;
    }
}
