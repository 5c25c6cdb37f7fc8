package io.quantumtrader.trader.pnl;

import io.quantumtrader.trader.events.DailyStatus;
import io.quantumtrader.trader.events.PositionClosed;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An account's realized P&amp;L of one UTC day, folded from its closed positions in the order they closed (the
 * aggregate of the reporting layer's one-day window over {@code position.closed}). Plain Java.
 *
 * @param realizedUsd       sum of the day's realized P&amp;L, USD: every close, a position's partial ones included
 * @param trades            positions closed that day: a position closed in parts (HARD_DERISK's reductions) counts
 *                          once, on the day of its last close ({@link PositionClosed#partial} false)
 * @param wins              of which with positive P&amp;L over all their parts ({@link PositionClosed#positionRealizedPnl})
 * @param dayStartEquityUsd the account's equity before the day's first close, USD
 * @param equityUsd         the account's equity after the latest close, USD
 */
public record DailyPnl(double realizedUsd, long trades, long wins, double dayStartEquityUsd, double equityUsd) {

    /** @return the day before any close */
    public static DailyPnl empty() {
        return new DailyPnl(0, 0, 0, 0, 0);
    }

    /** @return this day with one more close: its P&amp;L added, and a trade when it closes the position (not partial) */
    public DailyPnl add(PositionClosed p) {
        boolean first = equals(empty());   // no close yet today (a partial one counts no trade but starts the day)
        double start = first ? p.equityUsd() - p.realizedPnl() : dayStartEquityUsd;
        boolean trade = !p.partial();
        return new DailyPnl(realizedUsd + p.realizedPnl(), trades + (trade ? 1 : 0),
                wins + (trade && p.positionRealizedPnl() > 0 ? 1 : 0), start, p.equityUsd());
    }

    /** @return the day's loss as a percent of its starting equity (0 when in profit) */
    public double lossPct() {
        return realizedUsd >= 0 || dayStartEquityUsd <= 0 ? 0 : -realizedUsd / dayStartEquityUsd * 100;
    }

    /**
     * @param dayStart start of the UTC day, epoch ms
     * @param limitPct the daily loss limit, percent (seed §5)
     * @return the {@code risk.daily_status.update} event of this day
     */
    public DailyStatus toStatus(String account, long dayStart, double limitPct) {
        return new DailyStatus(account, Instant.ofEpochMilli(dayStart).atZone(ZoneOffset.UTC).toLocalDate().toString(),
                Math.round(realizedUsd * 100) / 100.0, trades, wins, Math.round(equityUsd * 100) / 100.0,
                Math.round(lossPct() * 1000) / 1000.0, limitPct, lossPct() >= limitPct);
    }
}
