package io.quantumtrader.app;

import io.quantumtrader.trader.VegaStocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job's command on five symbols (vega-datasets' stocks, 1-day candles) with the project's catalog (one
 * partition per stream) and with every stream keyed by symbol or account on 4 partitions: the same report — trades,
 * P&amp;L by day, drawdown, open positions, reconciliation — so the report reads several partitions in the order the
 * portfolio produced them.
 */
class ReplayPartitionsTest {

    @TempDir
    Path dir;

    private Path workDir(String name, int partitions) throws Exception {
        Path w = Files.createDirectories(dir.resolve(name).resolve("topology"));
        String catalog = Files.readString(Path.of("topology/streams.yaml")).lines()
                .map(l -> partitions > 1 && (l.contains("key: symbol") || l.contains("key: account")) && !l.contains("partitions")
                        ? l.replaceFirst("\\{ key:", "{ partitions: " + partitions + ", key:") : l)
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(w.resolve("streams.yaml"), catalog);
        return w.getParent();
    }

    private static JsonNode report(Path workDir) throws Exception {
        return io.quantumtrader.streams.record.JsonSerde.defaultMapper().readTree(workDir.resolve("target/replay/report.json").toFile());
    }

    @Test
    void fiveSymbolsOnOneAndOnFourPartitionsGiveTheSameReport() throws Exception {
        Path one = workDir("one", 1);
        Path four = workDir("four", 4);
        assertThat(Files.readString(four.resolve("topology/streams.yaml"))).contains("market.tick.price:            { partitions: 4,");
        for (Path w : List.of(one, four)) {
            CliProcess.Run run = CliProcess.run(w, Map.of(), Duration.ofMinutes(2), "replay", "--file", VegaStocks.csv().toAbsolutePath().toString(),
                    "--candle", "1d");
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        JsonNode a = report(one);
        JsonNode b = report(four);
        assertThat(a.get("trades").asLong()).isPositive();
        // daily bars: each symbol's last bars are in windows that never close (UnclosedCandles), and the report says so
        assertThat(a.get("notices").toString()).as("notices").contains("in candle windows that never closed");
        for (String field : List.of("ticks_read", "ticks_published", "trades", "realized_pnl_usd", "realized_pnl_by_day",
                "max_drawdown_pct", "exits_by_reason", "risk_decisions", "vetoes_by_reason", "cancelled_by_reason",
                "counted_by_processors", "open_positions",
                "positions_opened", "de_risk_changes", "reconciliation", "notices")) {
            assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(b.get("dead_lettered").asLong()).isZero();
    }
}
