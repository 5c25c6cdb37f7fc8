package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay's charts drawn on a thread of their own ({@link ReplayCharts}): the files, and failures passed on. */
class ReplayChartsTest {

    @TempDir
    Path dir;

    private static List<Candle> candles() {
        return IntStream.range(0, 120).mapToObj(i -> new Candle("BTC-USD", i * 60_000L, (i + 1) * 60_000L, 100 + i,
                101 + i, 99 + i, 100.5 + i, 1, 3)).toList();
    }

    @Test
    void theFourFilesAreWrittenAndTheCandlesAreReadOnTheDrawingThread() throws Exception {
        String[] readOn = new String[1];
        ReplayCharts charts = ReplayCharts.draw(dir.resolve("replay"), () -> {
            readOn[0] = Thread.currentThread().getName();
            return candles();
        }, List.of(), 100_000, "1m");

        List<Path> written = charts.written();

        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("price.svg", "price.png", "equity.svg", "equity.png");
        for (Path p : written) {
            assertThat(Files.size(p)).as(p.toString()).isPositive();
        }
        assertThat(readOn[0]).isEqualTo("replay-charts");
    }

    @Test
    void whatReadingTheCandlesThrewComesThrough() {
        ReplayCharts charts = ReplayCharts.draw(dir, () -> {
            throw new IllegalStateException("connection lost");
        }, List.of(), 100_000, "1m");

        assertThatThrownBy(charts::written).isInstanceOf(IllegalStateException.class).hasMessage("connection lost");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAnIoException() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        ReplayCharts charts = ReplayCharts.draw(file.resolve("replay"), ReplayChartsTest::candles, List.of(), 100_000, "1m");

        assertThatThrownBy(charts::written).isInstanceOf(IOException.class);
    }
}
