package io.quantumtrader.trader.regime;

/**
 * Thresholds of the regime detector.
 *
 * @param adxPeriod         ADX period, candles (14: Wilder)
 * @param atrPeriod         ATR period, candles (14: Wilder)
 * @param baselineCandles   the ATR baseline is the mean ATR over this many candles before the current one
 * @param trendingAdx       ADX at or above this is TRENDING (25: the common reading of Wilder's ADX)
 * @param spikeRatio        ATR / baseline at or above this is a volatility spike and CHAOTIC
 * @param historyCandles    candles kept per symbol (must cover warm-up: ADX needs 2 × period, the baseline its window)
 */
public record RegimeRules(int adxPeriod, int atrPeriod, int baselineCandles, double trendingAdx, double spikeRatio,
                          int historyCandles) {

    /** @return ADX(14), ATR(14), baseline over 50 candles, trending at ADX 25, spike at 2× baseline, 120 candles kept */
    public static RegimeRules defaults() {
        return new RegimeRules(14, 14, 50, 25.0, 2.0, 120);
    }

    /** @return candles needed before a classification: 2 × ADX period and the ATR baseline window */
    public int warmUpCandles() {
        return Math.max(2 * adxPeriod, atrPeriod + baselineCandles) + 1;
    }
}
