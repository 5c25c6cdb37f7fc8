package io.quantumtrader.trader.events;

/**
 * {@code risk.daily_status.update} (key: account): realized P&amp;L of the account's UTC day after each close.
 *
 * @param day           the UTC day, ISO (yyyy-MM-dd)
 * @param realizedPnl   realized P&amp;L of the day, USD
 * @param dailyLossPct  loss of the day as a percent of the day's starting equity (0 when in profit)
 * @param limitPct      the daily loss limit, percent
 * @param breached      the day's <em>realized</em> loss reached the limit. Not the kill switch's condition: the kill
 *                      switch trips on the day's loss of <em>marked</em> equity (open positions at their marks,
 *                      {@code Account#dailyLossPct}), so it can be on ({@code risk.kill_switch.activated}) while this
 *                      is false — a window over closed positions cannot see open ones (noted in review, 2026-12-06)
 */
public record DailyStatus(String account, String day, double realizedPnl, long trades, long wins, double equityUsd,
                          double dailyLossPct, double limitPct, boolean breached) {
}
