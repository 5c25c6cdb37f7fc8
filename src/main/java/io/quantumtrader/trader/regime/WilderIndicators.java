package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;

import java.util.List;

/**
 * Wilder's average true range (ATR) and average directional index (ADX), and the exponential moving average (EMA)
 * of the close, over one window of candles, computed in one pass over plain doubles (J. Welles Wilder, <i>New
 * Concepts in Technical Trading Systems</i>, 1978; Wilder's smoothing is the moving average with weight
 * {@code 1 / period}).
 * <p>
 * Every value is the one ta4j 0.17 gives for a fresh {@code DoubleNum} series of the same candles
 * ({@code ATRIndicator}, {@code ADXIndicator}, {@code EMAIndicator} of {@code ClosePriceIndicator}), bit for bit: the
 * same operations in the same order, each average starting at the window's first candle (its seed is that candle's
 * value), and ta4j's zero tests — a +DI/−DI whose ATR, or a DX whose +DI + −DI, is within 0.00001 of zero
 * ({@code DoubleNum.equals}) is 0 — for candles priced at 1 or more. {@code WilderIndicatorsTest} checks this against
 * ta4j itself on the 100,000 Bitstamp trades' candles. Below a price of 1 the ATR's zero test is relative to the price
 * ({@link #atrIsZero}): ta4j's absolute 0.00001, in price units, zeroed +DI/−DI of every symbol priced below about
 * 0.01 (a 1-minute ATR below 0.00001: SHIB, PEPE, many small caps), so its ADX was always 0 and its regime always
 * RANGING however strong the trend (found in review 2, 2026-12-06; {@code LowPriceRegimeTest}). ta4j built a cached object per value and indicator, recomputed on every candle: 18 % of
 * the warmed replay's CPU samples (docs/BENCHMARKS.md, 2026-12-03 11:47 UTC), so the regime detector computes them
 * here.
 * <p>
 * Prices in the candles' currency (e.g. USD); ADX in points 0–100; plain Java, immutable once built.
 */
public final class WilderIndicators {

    /**
     * ta4j's {@code DoubleNum.equals} precision: a DX divisor (+DI + −DI, points) closer than this to zero counts as
     * zero; for the ATR (price units) it is this fraction of the price below a price of 1 ({@link #atrIsZero}).
     */
    private static final double ZERO_EPSILON = 0.00001;

    private final double[] close;
    private final double[] atr;
    private final double[] adx;

    private WilderIndicators(double[] close, double[] atr, double[] adx) {
        this.close = close;
        this.atr = atr;
        this.adx = adx;
    }

    /**
     * @param candles   the window, oldest first (not empty)
     * @param atrPeriod the period of {@link #atr(int)}, candles (≥ 1)
     * @param adxPeriod the period of the directional movement's averages, of their ATR and of the ADX, candles (≥ 1)
     * @return the indicators at every index of the window
     * @throws IllegalArgumentException when the window is empty or a period is below 1
     */
    public static WilderIndicators of(List<Candle> candles, int atrPeriod, int adxPeriod) {
        if (candles.isEmpty() || atrPeriod < 1 || adxPeriod < 1) {
            throw new IllegalArgumentException("need at least one candle and periods of at least 1, got " + candles.size()
                    + " candles, ATR period " + atrPeriod + ", ADX period " + adxPeriod);
        }
        int n = candles.size();
        double[] close = new double[n];
        double[] atr = new double[n];
        double[] adx = new double[n];
        double atrWeight = 1.0 / atrPeriod;
        double adxWeight = 1.0 / adxPeriod;
        double diAtr = 0;
        double plusDm = 0;
        double minusDm = 0;
        Candle previous = null;
        for (int i = 0; i < n; i++) {
            Candle c = candles.get(i);
            close[i] = c.close();
            double tr = trueRange(c, previous);
            double up = previous == null ? 0 : c.high() - previous.high();
            double down = previous == null ? 0 : previous.low() - c.low();
            // ta4j's isGreaterThan is Double.compare(a, b) > 0; at the first candle both moves are 0, so both are 0
            double plus = Double.compare(up, down) > 0 && Double.compare(up, 0.0) > 0 ? up : 0.0;
            double minus = Double.compare(down, up) > 0 && Double.compare(down, 0.0) > 0 ? down : 0.0;
            if (i == 0) {
                atr[0] = tr;
                diAtr = tr;
                plusDm = plus;
                minusDm = minus;
            } else {
                atr[i] = smooth(atr[i - 1], tr, atrWeight);
                diAtr = smooth(diAtr, tr, adxWeight);
                plusDm = smooth(plusDm, plus, adxWeight);
                minusDm = smooth(minusDm, minus, adxWeight);
            }
            boolean noRange = atrIsZero(diAtr, c.close());
            double plusDi = noRange ? 0.0 : plusDm / diAtr * 100;   // ta4j's PlusDIIndicator / MinusDIIndicator
            double minusDi = noRange ? 0.0 : minusDm / diAtr * 100;
            double sum = plusDi + minusDi;
            double dx = isZero(sum) ? 0.0 : Math.abs(plusDi - minusDi) / sum * 100;
            adx[i] = i == 0 ? dx : smooth(adx[i - 1], dx, adxWeight);
            previous = c;
        }
        return new WilderIndicators(close, atr, adx);
    }

    /** @return the ATR at {@code index} of the window (ta4j {@code ATRIndicator(series, atrPeriod)}) */
    public double atr(int index) {
        return atr[index];
    }

    /** @return the ADX at {@code index} of the window, 0–100 (ta4j {@code ADXIndicator(series, adxPeriod)}) */
    public double adx(int index) {
        return adx[index];
    }

    /**
     * @param period the EMA's period, candles (≥ 1; weight {@code 2 / (period + 1)})
     * @return the EMA of the close at the window's last candle (ta4j {@code EMAIndicator(ClosePriceIndicator, period)})
     */
    public double emaOfClose(int period) {
        double weight = 2.0 / (period + 1);
        double ema = close[0];
        for (int i = 1; i < close.length; i++) {
            ema = smooth(ema, close[i], weight);
        }
        return ema;
    }

    /** @return the window's last index */
    public int endIndex() {
        return close.length - 1;
    }

    /** ta4j's TRIndicator: the largest of high − low, |high − previous close|, |previous close − low|. */
    private static double trueRange(Candle c, Candle previous) {
        double highLow = Math.abs(c.high() - c.low());
        if (previous == null) {
            return highLow;
        }
        return Math.max(Math.max(highLow, Math.abs(c.high() - previous.close())), Math.abs(previous.close() - c.low()));
    }

    /** ta4j's AbstractEMAIndicator step: {@code (value − previous) × weight + previous}. */
    private static double smooth(double previous, double value, double weight) {
        return (value - previous) * weight + previous;
    }

    /**
     * @param atr   the ATR the directional indexes divide by, price units
     * @param price the candle's close, price units
     * @return whether the ATR counts as zero (+DI and −DI 0): below {@code 0.00001 x min(1, |price|)}, ta4j's absolute
     *         0.00001 at a price of 1 or more (where that is at most 0.00001 of the price), 0.00001 of the price below
     *         it, so a range that is a meaningful share of the price is never zero, at any price
     */
    static boolean atrIsZero(double atr, double price) {
        return Math.abs(atr) < ZERO_EPSILON * Math.min(1.0, Math.abs(price));
    }

    private static boolean isZero(double value) {
        return Math.abs(value) < ZERO_EPSILON;
    }
}
