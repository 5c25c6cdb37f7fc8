package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.Signal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replay's results per symbol, for a replay of several: its candles, signals, trades and realized P&amp;L, so a symbol
 * that lost (or never traded) is seen beside the total. Found in review (2026-12-07): the report had totals only.
 */
final class SymbolResults {

    /**
     * One symbol's results.
     *
     * @param candles        candles closed ({@code market.candle.new})
     * @param signals        signals ({@code signal.generated}, long and short)
     * @param trades         positions closed ({@code position.closed} not {@code partial}, as the report's trades)
     * @param winRatePct     of the trades, percent with a positive realized P&amp;L over all their parts
     * @param realizedPnlUsd realized P&amp;L of every close, partial ones included, USD, rounded to cents
     * @param openAtEnd      positions of the symbol still open at the end
     */
    record Result(long candles, long signals, long trades, double winRatePct, double realizedPnlUsd, long openAtEnd) {
    }

    private SymbolResults() {
    }

    /**
     * @param symbols the symbols replayed (each has a row, a symbol with nothing a row of zeros)
     * @param candles the candles published
     * @param signals the signals published
     * @param closed  the closes published ({@code position.closed})
     * @param open    the positions open at the end
     * @return the results by symbol, in symbol order
     */
    static Map<String, Result> of(List<String> symbols, List<Candle> candles, List<Signal> signals,
                                  List<PositionClosed> closed, List<ReplayPortfolio.OpenPosition> open) {
        Map<String, Result> out = new TreeMap<>();
        java.util.Set<String> all = new java.util.TreeSet<>(symbols);
        candles.forEach(c -> all.add(c.symbol()));
        closed.forEach(c -> all.add(c.symbol()));
        for (String symbol : all) {
            List<PositionClosed> own = closed.stream().filter(c -> symbol.equals(c.symbol())).toList();
            ReplayReport.Trades tally = ReplayReport.Trades.of(own);
            double pnl = own.stream().mapToDouble(PositionClosed::realizedPnl).sum();
            out.put(symbol, new Result(candles.stream().filter(c -> symbol.equals(c.symbol())).count(),
                    signals.stream().filter(s -> symbol.equals(s.symbol())).count(), tally.trades(),
                    tally.trades() == 0 ? 0 : Math.round(tally.wins() * 1000.0 / tally.trades()) / 10.0,
                    Math.round(pnl * 100) / 100.0, open.stream().filter(p -> symbol.equals(p.symbol())).count()));
        }
        return out;
    }

    /** Prints a table of {@code results}, a row per symbol, when there are several symbols; nothing for one. */
    static void print(Map<String, Result> results, PrintStream out) {
        if (results.size() < 2) {
            return;
        }
        int width = Math.max(8, results.keySet().stream().mapToInt(String::length).max().orElse(0));
        out.println("by symbol:");
        out.printf("  %-" + width + "s %8s %8s %7s %9s %16s %5s%n", "symbol", "candles", "signals", "trades", "win rate",
                "realized USD", "open");
        results.forEach((s, r) -> out.printf("  %-" + width + "s %,8d %,8d %,7d %8.1f%% %,16.2f %,5d%n", s, r.candles(),
                r.signals(), r.trades(), r.winRatePct(), r.realizedPnlUsd(), r.openAtEnd()));
    }
}
