package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's results per symbol: found in review (2026-12-07, multi-symbol replay), the report had totals only, so a
 * symbol that lost everything beside one that won was not seen.
 */
class SymbolResultsTest {

    @TempDir
    Path dir;

    private static PositionClosed close(String symbol, double pnl, boolean partial, double positionPnl) {
        return new PositionClosed("p-" + symbol + pnl, "acct", symbol, Direction.LONG, 1, 100, 100 + pnl, pnl, 0, 60_000,
                ExitReason.TAKE_PROFIT, 0, 60_000, 100_000, partial, partial ? 1.0 : 0.0, positionPnl);
    }

    private static Candle candle(String symbol) {
        return new Candle(symbol, 0, 60_000, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void tradesAndRealizedPnlAddUpPerSymbolAndEverySymbolReplayedHasARow() {
        Map<String, SymbolResults.Result> r = SymbolResults.of(List.of("AAA", "BBB", "CCC"),
                List.of(candle("AAA"), candle("AAA"), candle("BBB")), List.of(),
                List.of(close("AAA", 10, false, 10), close("AAA", -4, true, -4), close("AAA", 1, false, -3),
                        close("BBB", -2.5, false, -2.5)),
                List.of());
        assertThat(r.keySet()).containsExactly("AAA", "BBB", "CCC");
        // AAA: two trades (the partial close is part of the second), one won (10), one lost over its parts (-4 + 1)
        assertThat(r.get("AAA")).isEqualTo(new SymbolResults.Result(2, 0, 2, 50.0, 7.0, 0));
        assertThat(r.get("BBB")).isEqualTo(new SymbolResults.Result(1, 0, 1, 0.0, -2.5, 0));
        assertThat(r.get("CCC")).as("a symbol replayed with nothing has a row of zeros")
                .isEqualTo(new SymbolResults.Result(0, 0, 0, 0.0, 0.0, 0));
    }

    @Test
    void aReplayOfTwoSymbolsPrintsARowForEach() throws Exception {
        long t0 = 1_700_000_040L;   // a minute boundary
        StringBuilder a = new StringBuilder("timestamp,price,amount\n");
        StringBuilder b = new StringBuilder("timestamp,price,amount\n");
        for (int i = 0; i < 60; i++) {
            a.append(t0 + i * 10L).append(",100.0,1\n");
            b.append(t0 + i * 10L + 5).append(",50.0,1\n");
        }
        Path fa = Files.writeString(dir.resolve("aaa.csv"), a);
        Path fb = Files.writeString(dir.resolve("bbb.csv"), b);
        Files.createDirectories(dir.resolve("w"));
        CliProcess.Run run = CliProcess.run(dir.resolve("w"), Map.of(), Duration.ofMinutes(2), "replay",
                "--file", "AAA=" + fa.toAbsolutePath(), "--file", "BBB=" + fb.toAbsolutePath());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("by symbol:");
        // 600 s of prints: candles 0..8 close (the 10th, still open at the end, is named in the notices)
        assertThat(run.stdout().lines().filter(l -> l.matches("\\s+AAA\\s+9\\s+0\\s+0\\s+0\\.0%\\s+0\\.00\\s+0")).toList())
                .as("AAA's row:\n" + run.stdout()).hasSize(1);
        assertThat(run.stdout().lines().filter(l -> l.matches("\\s+BBB\\s+9\\s+0\\s+0\\s+0\\.0%\\s+0\\.00\\s+0")).toList())
                .as("BBB's row:\n" + run.stdout()).hasSize(1);
        assertThat(Files.readString(dir.resolve("w/target/replay/report.json"))).contains("\"by_symbol\"");
    }
}
