package io.quantumtrader.trader.events;

/**
 * {@code risk.derisk_state.update} (key: account): the account's de-risk state changed (DESIGN §7).
 *
 * @param state          NORMAL, SOFT_DERISK or HARD_DERISK
 * @param previous       the state before
 * @param drawdownPct    drawdown of marked equity from the peak of realized equity when it changed, percent
 * @param chaoticSymbols symbols in a volatility spike when it changed (latest regime CHAOTIC, its candle at most
 *                       {@code volatility-spike-stale-candles} candles before)
 * @param reason         why, in words
 * @param changedAt      event time, epoch ms
 */
public record DeRiskUpdate(String account, String state, String previous, double drawdownPct, int chaoticSymbols,
                           String reason, long changedAt) {
}
