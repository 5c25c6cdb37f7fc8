package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import org.ta4j.core.Bar;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.adx.ADXIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.num.DoubleNum;

import java.util.ArrayList;
import java.util.List;

/**
 * The regime detector's indicators over every window of the Bitstamp replay (one-minute candles, 120 kept), computed
 * by ta4j 0.17 as the detector did until 2026-12-03 (its cached bars added to a fresh DoubleNum series, then ADX(14),
 * ATR(14) at the last candle and the 50 before it, EMA(20) and EMA(50)) and by {@link WilderIndicators}, alternately,
 * in one JVM: µs per window and their ratio (docs/BENCHMARKS.md). Test scope: ta4j is only a test dependency.
 * <pre>
 * mvn -q -B -o test-compile
 * mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.trader.regime.RegimeIndicatorBenchmark 5
 * </pre>
 */
public final class RegimeIndicatorBenchmark {

    private RegimeIndicatorBenchmark() {
    }

    /** @param args rounds (default 5); each round runs both over all windows */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        RegimeRules rules = RegimeRules.defaults();
        List<Candle> minutes = WilderIndicatorsTest.bitstampMinutes();
        List<Bar> bars = new ArrayList<>();
        for (Candle c : minutes) {
            bars.add(WilderIndicatorsTest.ta4jSeries(List.of(c)).getBar(0));
        }
        int from = rules.warmUpCandles();
        int windows = minutes.size() - from + 1;
        System.out.printf("%,d one-minute candles, %,d windows of up to %d candles%n", minutes.size(), windows, rules.historyCandles());
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            double ta4j = 0;
            for (int end = from; end <= minutes.size(); end++) {
                ta4j += ta4j(bars.subList(Math.max(0, end - rules.historyCandles()), end), rules);
            }
            long t1 = System.nanoTime();
            double wilder = 0;
            for (int end = from; end <= minutes.size(); end++) {
                wilder += wilder(minutes.subList(Math.max(0, end - rules.historyCandles()), end), rules);
            }
            long t2 = System.nanoTime();
            double ta4jMicros = (t1 - t0) / 1e3 / windows;
            double wilderMicros = (t2 - t1) / 1e3 / windows;
            System.out.printf("round %d: ta4j %8.1f µs per window, WilderIndicators %6.1f µs (%.0f× faster; checksums %s)%n",
                    round, ta4jMicros, wilderMicros, ta4jMicros / wilderMicros,
                    Double.doubleToRawLongBits(ta4j) == Double.doubleToRawLongBits(wilder) ? "equal" : "DIFFER: " + ta4j + " vs " + wilder);
        }
    }

    private static double ta4j(List<Bar> window, RegimeRules rules) {
        BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum.class).build();
        for (Bar b : window) {
            series.addBar(b);
        }
        int end = series.getEndIndex();
        ATRIndicator atr = new ATRIndicator(series, rules.atrPeriod());
        double sum = new ADXIndicator(series, rules.adxPeriod()).getValue(end).doubleValue() + atr.getValue(end).doubleValue();
        for (int i = end - rules.baselineCandles(); i < end; i++) {
            sum += atr.getValue(i).doubleValue();
        }
        ClosePriceIndicator close = new ClosePriceIndicator(series);
        return sum + new EMAIndicator(close, 20).getValue(end).doubleValue() + new EMAIndicator(close, 50).getValue(end).doubleValue();
    }

    private static double wilder(List<Candle> window, RegimeRules rules) {
        WilderIndicators w = WilderIndicators.of(window, rules.atrPeriod(), rules.adxPeriod());
        int end = w.endIndex();
        double sum = w.adx(end) + w.atr(end);
        for (int i = end - rules.baselineCandles(); i < end; i++) {
            sum += w.atr(i);
        }
        return sum + w.emaOfClose(20) + w.emaOfClose(50);
    }
}
