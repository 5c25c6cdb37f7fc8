package io.quantumtrader.trader.events;

/**
 * {@code signals.advisory.no_signal}: the advisory declined after a candle, naming the gate that failed (key: symbol).
 *
 * @param gate      {@code warming_up}, {@code regime_not_trending}, {@code volatility_spike} or {@code no_trend_alignment}
 * @param reasoning why, in words
 */
public record NoSignal(String symbol, long candleEnd, String gate, String reasoning, String modelVersion) {
}
