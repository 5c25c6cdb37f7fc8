package io.quantumtrader.app;

import java.io.PrintStream;

/**
 * A progress bar for long work: redrawn in place on a terminal, one line per 10% otherwise (CI logs).
 */
final class ConsoleProgress {

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private int lastDecile = -1;
    private long lastDraw;

    ConsoleProgress(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** @param done units done so far */
    synchronized void update(long done) {
        int decile = (int) (done * 10 / total);
        long now = System.nanoTime();
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
        } else if (decile > lastDecile) {
            lastDecile = decile;
            out.printf("%s %3d%% %,d/%,d %,.0f/s%n", label, done * 100 / total, done, total, rate(done, now));
        }
        out.flush();
    }

    private double rate(long done, long now) {
        double seconds = (now - started) / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }
}
