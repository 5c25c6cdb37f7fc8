package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * .ci/check-replay-report.mjs on hand-made reports. The base report is the main job's (README replay: 100,000 ticks, 26
 * trades, reconciled) and passes; each mutation is a report the check must fail (both passed it until 2026-12-07:
 * found in review).
 */
class ReplayReportCheckTest {

    @TempDir
    Path dir;

    private static Map<String, Object> base() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ticks_read", 100_000);
        r.put("ticks_published", 100_000);
        r.put("malformed_lines", 0);
        r.put("records_processed", 232_190);
        r.put("duplicates_skipped", 0);
        r.put("dead_lettered", 0);
        r.put("dead_letters_by_reason", Map.of());
        r.put("refused_by_reason", Map.of());
        r.put("dropped_late", 0);
        r.put("dropped_by_stages", 0);
        r.put("drained", true);
        Map<String, Object> streams = new HashMap<>();
        streams.put("market.tick.price", 100_000);
        streams.put("quantum-trader-ticks-by-account-repartition", 100_000);
        streams.put("market.candle.new", 9_398);
        streams.put("position.opened", 26);
        streams.put("position.closed", 26);
        streams.put("trades.order.rejected", 1);
        r.put("events_per_stream", streams);
        r.put("counted_by_processors", Map.of("paper-venue entry_resized_gap", 3, "paper-venue take_profit_cancelled_limit_not_reached", 1));
        r.put("trades", 26);
        r.put("realized_pnl_usd", -8_153.54);
        r.put("symbols", List.of("BTC-USD"));
        r.put("by_symbol", Map.of("BTC-USD", Map.of("candles", 9_398, "signals", 4_072, "trades", 26, "win_rate_pct", 30.8,
                "realized_pnl_usd", -8_153.54, "open_at_end", 0)));
        r.put("positions_opened", 26);
        r.put("open_positions", List.of());
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("starting_equity_usd", 100_000.0);
        rec.put("realized_pnl_usd", -8_153.54);
        rec.put("unrealized_pnl_usd", 0.0);
        rec.put("equity_by_pnl_usd", 91_846.46);
        rec.put("equity_by_cash_usd", 91_846.46);
        rec.put("difference_usd", -0.004);
        rec.put("tolerance_usd", 0.065);
        rec.put("reconciled", true);
        r.put("reconciliation", rec);
        r.put("resumed_from", 0);
        r.put("not_drained_because", null);
        return r;
    }

    private String check(Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> r = base();
        change.accept(r);
        Path file = dir.resolve("report-" + System.nanoTime() + ".json");
        Files.writeString(file, io.quantumtrader.streams.record.JsonSerde.defaultMapper().writeValueAsString(r));
        Process p = new ProcessBuilder("node", ".ci/check-replay-report.mjs", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return "exit " + p.waitFor() + "\n" + out;
    }

    @Test
    void theBaseReportPasses() throws Exception {
        assertThat(check(r -> { })).startsWith("exit 0");
    }

    /**
     * 1,000 of the 100,000 ticks never reached the portfolio (the market-data stage passes every tick on to
     * quantum-trader-ticks-by-account-repartition): lost ticks, which the check's header says it fails on ("every one of
     * the 100,000 Bitstamp ticks read, published and processed"). records_processed >= ticks_published still holds.
     */
    @Test
    void ticksLostBeforeThePortfolioFailTheCheck() throws Exception {
        String result = check(r -> {
            @SuppressWarnings("unchecked") Map<String, Object> streams = (Map<String, Object>) r.get("events_per_stream");
            streams.put("quantum-trader-ticks-by-account-repartition", 99_000);
            r.put("records_processed", 231_190);
        });
        assertThat(result).startsWith("exit 1");
    }

    /** Results per symbol that do not add up to the totals (SymbolResults), or a report without them. */
    @Test
    void resultsPerSymbolThatDoNotAddUpFailTheCheck() throws Exception {
        assertThat(check(r -> r.put("by_symbol", Map.of("BTC-USD", Map.of("trades", 25, "realized_pnl_usd", -8_153.54)))))
                .startsWith("exit 1").contains("do not add up");
        assertThat(check(r -> r.remove("by_symbol"))).startsWith("exit 1");
    }

    /** An equity difference of 5,000 USD against a tolerance of 0.065 USD, with reconciled: true. */
    @Test
    void anEquityDifferenceBeyondTheToleranceFailsTheCheck() throws Exception {
        String result = check(r -> {
            @SuppressWarnings("unchecked") Map<String, Object> rec = (Map<String, Object>) r.get("reconciliation");
            rec.put("equity_by_cash_usd", 96_846.46);
            rec.put("difference_usd", -5_000.0);
        });
        assertThat(result).startsWith("exit 1");
    }
}
