package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayReportTest {

    @Test
    void vetoReasonsGroupByRuleAndKeepTheFiguresTheyShare() {
        ReasonGroups groups = new ReasonGroups();
        groups.add("drawdown 10.34% reached the 10.0% limit");
        groups.add("drawdown 12.01% reached the 10.0% limit");
        groups.add("gross exposure cap 130% reached (incl. pending orders)");
        groups.add("edge score 0.31 < 0.5");
        groups.add("edge score 0.31 < 0.5");
        groups.add("edge score 0.2 < 0.5");
        groups.add("edge score 1e-3 < 0.5");
        groups.add("a position in BTC-USD is open");
        groups.add("order #12 refused at 5%");
        groups.add("order #13 refused at 5%");
        groups.add(null);
        groups.add(" ");
        assertThat(groups.counts()).containsExactly(
                Map.entry("edge score # < 0.5", 4L),
                Map.entry("(no reason given)", 2L),
                Map.entry("drawdown #% reached the 10.0% limit", 2L),
                Map.entry("order ## refused at 5%", 2L),
                Map.entry("a position in BTC-USD is open", 1L),
                Map.entry("gross exposure cap 130% reached (incl. pending orders)", 1L));
        assertThat(ReasonGroups.rule("drawdown 10.34% reached the -1.5e-2% limit")).isEqualTo("drawdown #% reached the #% limit");
    }

    @Test
    void mostFrequentFirst() {
        assertThat(ReplayReport.sortedByCount(Map.of("b", 1L, "a", 5L, "c", 5L)).keySet()).containsExactly("a", "c", "b");
    }

    /**
     * The report's trades and win rate count a position closed in parts (a HARD_DERISK reduction, then its close) once,
     * won or lost over both parts; until 2026-12-06 each {@code position.closed} was a trade (found in review).
     */
    @Test
    void aPositionClosedInPartsIsOneTrade() {
        var d = io.quantumtrader.trader.events.Direction.LONG;
        var part = new io.quantumtrader.trader.events.PositionClosed("p1", "paper", "BTC-USD", d, 7, 10_000, 9_700, -2_237.90,
                137.90, 5_000, io.quantumtrader.trader.events.ExitReason.DERISK_REDUCE, 0, 5_000, 97_762.10, true, 3.0, -2_237.90);
        var rest = new io.quantumtrader.trader.events.PositionClosed("p1", "paper", "BTC-USD", d, 3, 10_000, 10_900, 2_660.19,
                39.81, 9_000, io.quantumtrader.trader.events.ExitReason.TAKE_PROFIT, 0, 9_000, 100_422.29, false, 0.0, 422.29);
        var other = new io.quantumtrader.trader.events.PositionClosed("p2", "paper", "ETH-USD", d, 1, 300, 290, -10.6,
                0.6, 1_000, io.quantumtrader.trader.events.ExitReason.STOP_LOSS, 9_000, 10_000, 100_411.69);
        assertThat(ReplayReport.Trades.of(java.util.List.of(part, rest, other))).isEqualTo(new ReplayReport.Trades(2, 1));
        assertThat(ReplayReport.Trades.of(java.util.List.of(part))).as("reduced, still open: no trade yet")
                .isEqualTo(new ReplayReport.Trades(0, 0));
    }
}
