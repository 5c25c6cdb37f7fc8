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
}
