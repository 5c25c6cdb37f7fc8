package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Account#onDay}: the account's UTC day, checked against java.time's own epoch day. */
class AccountDayTest {

    private static long utcDay(long epochMs) {
        return Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    @Test
    void theDayIsJavaTimesUtcEpochDayAtEveryBoundaryAndBefore1970() {
        Account start = Account.start(RiskRules.defaults());
        long[] times = {0, 1, 86_399_999, 86_400_000, -1, -86_400_000, -86_400_001, 1_385_337_600_000L - 1,
                1_385_337_600_000L, 1_385_423_999_999L, 4_102_444_800_000L};
        for (long t : times) {
            assertThat(start.onDay(t, false).day()).as("%d ms", t).isEqualTo(Math.max(start.day(), utcDay(t)));
        }
    }

    @Test
    void aNewDayResetsTheDailyFiguresAndAnOlderTimeChangesNothing() {
        Account day1 = Account.start(RiskRules.defaults()).onDay(1_385_337_600_000L, false);   // 2013-11-25
        Account later = day1.closed(1_000, 50);
        assertThat(later.onDay(1_385_337_600_000L + 3_600_000, false)).isSameAs(later);
        Account day2 = later.onDay(1_385_424_000_000L, false);
        assertThat(day2.day()).isEqualTo(utcDay(1_385_424_000_000L));
        assertThat(day2.dailyRealizedUsd()).isZero();
        assertThat(day2.dayStartEquityUsd()).isEqualTo(later.equityUsd());
        assertThat(day2.onDay(1_385_337_600_000L, false)).as("the day never moves back").isSameAs(day2);
    }

    /**
     * A position closed in parts is one trade of the day, won or lost over all its parts, as the daily P&amp;L and the
     * replay report count it (found in review, 2026-12-06: each HARD_DERISK reduction counted as a trade, and as a win
     * on its own P&amp;L).
     */
    @Test
    void aPositionClosedInPartsIsOneTradeWonOrLostOverAllItsParts() {
        Account a = Account.start(RiskRules.defaults()).onDay(0, false).opened(10_000);
        Account reduced = a.reduced(2_000, 50, 0);
        assertThat(reduced.dailyTrades()).isZero();
        assertThat(reduced.dailyRealizedUsd()).isEqualTo(50);
        Account closed = reduced.closed(8_000, -80, 0, -30);
        assertThat(closed.dailyTrades()).isEqualTo(1);
        assertThat(closed.dailyWins()).as("lost 30 USD over its two parts").isZero();
        assertThat(closed.dailyRealizedUsd()).isEqualTo(-30);
        assertThat(closed.openPositions()).isZero();
    }
}
