package io.quantumtrader.app;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-of-replay portfolio: open positions marked, and the equity reconciled two independent ways. */
class ReplayPortfolioTest {

    static OrderFilled fill(String pos, String symbol, Direction d, OrderFilled.Purpose purpose, double size, double price, double fee) {
        return new OrderFilled("f-" + pos + purpose, null, pos, symbol, d, purpose, size, price, fee, 0, 0, 0, 0,
                purpose == OrderFilled.Purpose.EXIT ? ExitReason.TAKE_PROFIT : null);
    }

    @Test
    void openPositionsWithAddsAndAClosedShortReconcile() {
        List<OrderFilled> fills = List.of(
                fill("p1", "A", Direction.LONG, OrderFilled.Purpose.ENTRY, 2, 100, 0.2),
                fill("p2", "A", Direction.LONG, OrderFilled.Purpose.ENTRY, 2, 110, 0.22),    // an add, merged into p1
                fill("s1", "B", Direction.SHORT, OrderFilled.Purpose.ENTRY, 1, 50, 0.05),
                fill("s1", "B", Direction.SHORT, OrderFilled.Purpose.EXIT, 1, 40, 0.04));
        // short: (40 - 50) * 1 * -1 = 10, minus fees 0.09
        List<PositionClosed> closed = List.of(new PositionClosed("s1", "paper", "B", Direction.SHORT, 1, 50, 40, 9.91, 0.09, 0,
                ExitReason.TAKE_PROFIT, 0, 1, 100_009.91));
        List<PositionUpdate> marks = List.of(new PositionUpdate("p1", "A", Direction.LONG, 4, 105, 120, 60, 2),
                new PositionUpdate("s1", "B", Direction.SHORT, 1, 50, 45, 5, 1));
        ReplayPortfolio p = ReplayPortfolio.of(100_000, fills, marks, closed);
        assertThat(p.openPositions()).singleElement().satisfies(o -> {
            assertThat(o.symbol()).isEqualTo("A");
            assertThat(o.quantity()).isEqualTo(4.0);
            assertThat(o.mark()).isEqualTo(120.0);
            assertThat(o.unrealizedPnl()).isEqualTo(60.0);
        });
        ReplayPortfolio.Reconciliation r = p.reconciliation();
        assertThat(r.equityByPnlUsd()).isEqualTo(100_000 + 9.91 + 60 - 0.42);
        assertThat(r.reconciled()).isTrue();

        // a position replaced instead of added to (the bug of the issue): the fills' cash no longer matches
        List<PositionUpdate> replaced = List.of(new PositionUpdate("p2", "A", Direction.LONG, 2, 110, 120, 20, 2));
        assertThat(ReplayPortfolio.of(100_000, fills, replaced, closed).reconciliation().reconciled()).isFalse();
    }

    /** HARD_DERISK's reduction to the cap closes part of a position: the rest is open, with the rest of its entry fee. */
    @Test
    void aPartlyClosedPositionStaysOpenWithTheRestOfItsEntryFee() {
        List<OrderFilled> fills = List.of(
                fill("p1", "A", Direction.LONG, OrderFilled.Purpose.ENTRY, 10, 100, 1),
                new OrderFilled("f-p1-reduce", null, "p1", "A", Direction.LONG, OrderFilled.Purpose.EXIT, 7, 90, 0.63, 0, 1,
                        0, 0, ExitReason.DERISK_REDUCE));
        // (90 - 100) x 7 - (0.70 of the entry fee + 0.63) = -71.33
        List<PositionClosed> closed = List.of(new PositionClosed("p1", "paper", "A", Direction.LONG, 7, 100, 90, -71.33, 1.33, 1,
                ExitReason.DERISK_REDUCE, 0, 1, 99_928.67));
        List<PositionUpdate> marks = List.of(new PositionUpdate("p1", "A", Direction.LONG, 10, 100, 90, -100, 1),
                new PositionUpdate("p1", "A", Direction.LONG, 3, 100, 95, -15, 2));
        ReplayPortfolio p = ReplayPortfolio.of(100_000, fills, marks, closed);
        assertThat(p.openPositions()).singleElement().satisfies(o -> {
            assertThat(o.quantity()).isEqualTo(3.0);
            assertThat(o.unrealizedPnl()).isEqualTo(-15.0);
        });
        assertThat(p.reconciliation().equityByPnlUsd()).isEqualTo(100_000 - 71.33 - 15 - 0.3);
        assertThat(p.reconciliation().reconciled()).isTrue();
    }
}
