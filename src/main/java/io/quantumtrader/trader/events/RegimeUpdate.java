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
 * @param close           close of the classified candle, USD
 * @param ema20           EMA(20) of the candles' closes at that close, USD
 * @param ema50           EMA(50) of the candles' closes at that close, USD (with {@code ema20} and {@code close}: all
 *                        the signal advisory reads, so it runs as its own stage on this stream)
 */
public record RegimeUpdate(String symbol, long candleEnd, Regime regime, double confidence, double adx, double atr,
                           double atrBaseline, double volatilityRatio, double close, double ema20, double ema50) {
}
