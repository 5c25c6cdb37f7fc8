package io.quantumtrader.trader.events;

/**
 * {@code regime.volatility.spike}: the ATR of a symbol jumped to {@code ratio} times its baseline (key: symbol).
 *
 * @param candleEnd end of the candle, epoch ms
 * @param atr       ATR(14), USD
 * @param baseline  mean ATR(14) over the previous 50 candles, USD
 * @param ratio     atr / baseline (&ge; the spike threshold, 2.0 by default)
 */
public record VolatilitySpike(String symbol, long candleEnd, double atr, double baseline, double ratio) {
}
