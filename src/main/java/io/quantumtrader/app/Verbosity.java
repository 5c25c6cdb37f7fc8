package io.quantumtrader.app;

import java.util.Locale;

/**
 * Whether stack traces are shown: with {@code --verbose}, or when {@code QT_LOG_LEVEL} is DEBUG or TRACE. Otherwise
 * failures are one or two lines (the CLI) and a logged exception is its cause chain, one line per cause (logback).
 */
public final class Verbosity {

    private static volatile boolean verbose;

    private Verbosity() {
    }

    /** @param on whether {@code --verbose} was given */
    public static void setVerbose(boolean on) {
        verbose = on;
    }

    /** @return true when stack traces are wanted */
    public static boolean stackTraces() {
        if (verbose) {
            return true;
        }
        String level = System.getenv("QT_LOG_LEVEL");
        return level != null && (level.toUpperCase(Locale.ROOT).equals("DEBUG") || level.toUpperCase(Locale.ROOT).equals("TRACE"));
    }
}
