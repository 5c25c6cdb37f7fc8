package io.quantumtrader.trader.events;

/**
 * {@code risk.daily_status.update} (key: account): realized P&amp;L of the account's UTC day after each close.
 *
 * @param day           the UTC day, ISO (yyyy-MM-dd)
 * @param realizedPnl   realized P&amp;L of the day, USD
 * @param dailyLossPct  loss of the day as a percent of the day's starting equity (0 when in profit)
 * @param limitPct      the daily loss limit, percent
 */
public record DailyStatus(String account, String day, double realizedPnl, long trades, long wins, double equityUsd,
                          double dailyLossPct, double limitPct, boolean breached) {
}
