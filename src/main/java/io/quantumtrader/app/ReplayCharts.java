package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PositionClosed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The replay's charts ({@link ReplayChart}) being drawn on a daemon thread of their own while the replay reads the
 * report's streams back from Redis: the two took ~0.8 s each, one after the other, at the end of every replay
 * (docs/BENCHMARKS.md, 2026-12-04 16:47 section). The caller waits for {@link #written()} before it closes the Redis
 * connection the candles are read through.
 */
final class ReplayCharts {

    private final CompletableFuture<List<Path>> written;

    private ReplayCharts(CompletableFuture<List<Path>> written) {
        this.written = written;
    }

    /**
     * Starts drawing.
     *
     * @param dir            where the four files go ({@code price.svg/.png}, {@code equity.svg/.png})
     * @param candles        reads the candles (on the drawing thread)
     * @param closed         the closed positions, for the equity curve
     * @param startingEquity the account's starting equity, USD
     * @param candle         the candle size as {@code --candle} takes it, e.g. {@code 1m}
     * @return the charts being drawn
     */
    static ReplayCharts draw(Path dir, Supplier<List<Candle>> candles, List<PositionClosed> closed, double startingEquity,
                             String candle) {
        return new ReplayCharts(CompletableFuture.supplyAsync(() -> {
            try {
                return ReplayChart.write(dir, candles.get(), closed, startingEquity, candle);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "replay-charts");
            t.setDaemon(true);
            t.start();
        }));
    }

    /**
     * Waits for the charts.
     *
     * @return the files written
     * @throws IOException      when a file could not be written
     * @throws RuntimeException what reading the candles or drawing threw
     */
    List<Path> written() throws IOException {
        try {
            return written.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
