package io.quantumtrader.trader.pnl;

import io.quantumtrader.trader.events.DailyStatus;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reporting layer's daily aggregate: plain Java, no Redis. */
class DailyPnlTest {

    static PositionClosed closed(double pnl, double equityAfter) {
        return new PositionClosed("p", "paper", "BTC-USD", Direction.LONG, 1, 100, 100 + pnl, pnl, 0, 0, ExitReason.STOP_LOSS,
                0, 1, equityAfter);
    }

    @Test
    void foldsTheDaysClosesAgainstTheEquityBeforeItsFirstClose() {
        DailyPnl day = DailyPnl.empty().add(closed(-3_000, 97_000)).add(closed(1_000, 98_000)).add(closed(-4_000, 94_000));
        DailyStatus s = day.toStatus("paper", 1_385_337_600_000L, 5.0);   // 2013-11-25T00:00Z
        assertThat(s.day()).isEqualTo("2013-11-25");
        assertThat(s.realizedPnl()).isEqualTo(-6_000.0);
        assertThat(s.trades()).isEqualTo(3);
        assertThat(s.wins()).isEqualTo(1);
        assertThat(s.equityUsd()).isEqualTo(94_000.0);
        assertThat(s.dailyLossPct()).isEqualTo(6.0);                      // of the 100,000 before the first close
        assertThat(s.breached()).isTrue();
        assertThat(DailyPnl.empty().add(closed(500, 100_500)).toStatus("paper", 0, 5.0).dailyLossPct()).isZero();
    }

    /**
     * A position reduced in HARD_DERISK (a partial close, the rest open under the same id) and closed later publishes
     * two {@code position.closed}: both P&amp;Ls count, the position is one trade, won or lost over both parts. Until
     * 2026-12-06 each part counted as a trade (found in review).
     */
    @Test
    void aPositionClosedInPartsIsOneTradeWithTheRealizedPnlOfEveryPart() {
        PositionClosed part = new PositionClosed("p", "paper", "BTC-USD", Direction.LONG, 7, 10_000, 9_700, -2_237.90, 137.90,
                5_000, ExitReason.DERISK_REDUCE, 0, 5_000, 97_762.10, true, 3.0, -2_237.90);
        PositionClosed rest = new PositionClosed("p", "paper", "BTC-USD", Direction.LONG, 3, 10_000, 10_900, 2_660.19, 39.81,
                9_000, ExitReason.TAKE_PROFIT, 0, 9_000, 100_422.29, false, 0.0, 422.29);
        DailyStatus s = DailyPnl.empty().add(part).add(rest).toStatus("paper", 0, 5.0);
        assertThat(s.trades()).as("one position").isEqualTo(1);
        assertThat(s.wins()).as("won over both parts (+422.29), though its first part lost").isEqualTo(1);
        assertThat(s.realizedPnl()).isEqualTo(422.29);
        assertThat(s.equityUsd()).isEqualTo(100_422.29);

        DailyPnl partOnly = DailyPnl.empty().add(part);
        assertThat(partOnly.trades()).as("a reduction alone is no trade yet").isZero();
        assertThat(partOnly.realizedUsd()).isEqualTo(-2_237.90);
        assertThat(partOnly.add(closed(-100, 97_662.10)).dayStartEquityUsd()).as("the day started before its partial close")
                .isEqualTo(100_000.0);

        PositionClosed lostOverall = new PositionClosed("p", "paper", "BTC-USD", Direction.LONG, 3, 10_000, 10_100, 269.70, 30.30,
                9_000, ExitReason.TAKE_PROFIT, 0, 9_000, 98_031.80, false, 0.0, -1_968.20);
        assertThat(DailyPnl.empty().add(part).add(lostOverall).wins()).as("its last part won, the trade lost").isZero();
    }
}
