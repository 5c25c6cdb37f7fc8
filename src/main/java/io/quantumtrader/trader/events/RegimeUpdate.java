package io.quantumtrader.trader.events;

/**
 * {@code regime.classification.update}: the regime of a symbol after a closed candle (key: symbol).
 *
 * @param symbol          instrument
 * @param candleEnd       end of the candle that was classified, epoch ms
 * @param regime          TRENDING / RANGING / CHAOTIC
 * @param confidence      0..1
 * @param adx             ADX(14) of the 1-minute candles, 0..100
 * @param atr             ATR(14), USD
 * @param atrBaseline     mean ATR(14) over the previous 50 candles, USD
 * @param volatilityRatio atr / atrBaseline
 */
public record RegimeUpdate(String symbol, long candleEnd, Regime regime, double confidence, double adx, double atr,
                           double atrBaseline, double volatilityRatio) {
}
