package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import org.junit.jupiter.api.Test;
import org.ta4j.core.Bar;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The regime detector's bar cache: never a different result from a fresh evaluation, whatever history it is given. */
class CandleBarsTest {

    static final RegimeDetector DETECTOR = new RegimeDetector(RegimeRules.defaults());
    static final int KEPT = RegimeRules.defaults().historyCandles();
    static final long MIN = 60_000;

    /** A random walk of candles (seeded), each one minute. */
    static List<Candle> walk(int n, long seed) {
        Random random = new Random(seed);
        List<Candle> out = new ArrayList<>();
        double price = 1000;
        for (int i = 0; i < n; i++) {
            double open = price;
            price = Math.max(1, price + random.nextGaussian() * 3 + (i / 60 % 2 == 0 ? 1 : -1));
            double range = 0.5 + random.nextDouble() * (i % 97 == 0 ? 40 : 4);
            out.add(new Candle("BTC-USD", i * MIN, (i + 1) * MIN, open, Math.max(open, price) + range,
                    Math.min(open, price) - range / 2, price, 1 + random.nextDouble(), 1 + random.nextInt(20)));
        }
        return out;
    }

    static Candle withHigh(Candle c, double high) {
        return new Candle(c.symbol(), c.windowStart(), c.windowEnd(), c.open(), high, c.low(), c.close(), c.volume(), c.trades());
    }

    static Candle copy(Candle c) {
        return withHigh(c, c.high());
    }

    /** The series as the detector built it before the cache: a fresh DoubleNum series, the candles added one by one. */
    static BarSeries plainSeries(List<Candle> history) {
        BarSeries series = new BaseBarSeriesBuilder().withName(history.get(history.size() - 1).symbol())
                .withNumTypeOf(DoubleNum.class).build();
        for (Candle c : history) {
            series.addBar(Duration.ofMillis(c.windowEnd() - c.windowStart()),
                    ZonedDateTime.ofInstant(Instant.ofEpochMilli(c.windowEnd()), ZoneOffset.UTC),
                    c.open(), c.high(), c.low(), c.close(), c.volume());
        }
        return series;
    }

    /** Bit for bit (ta4j's DoubleNum equality has a tolerance). */
    static void assertSameSeries(BarSeries actual, BarSeries expected) {
        assertThat(actual.getName()).isEqualTo(expected.getName());
        assertThat(actual.getBarCount()).isEqualTo(expected.getBarCount());
        assertThat(actual.getBeginIndex()).isEqualTo(expected.getBeginIndex());
        assertThat(actual.getEndIndex()).isEqualTo(expected.getEndIndex());
        assertThat(actual.getMaximumBarCount()).isEqualTo(expected.getMaximumBarCount());
        assertThat(actual.getRemovedBarsCount()).isEqualTo(expected.getRemovedBarsCount());
        for (int i = expected.getBeginIndex(); i <= expected.getEndIndex(); i++) {
            Bar a = actual.getBar(i);
            Bar e = expected.getBar(i);
            assertThat(a.getTimePeriod()).isEqualTo(e.getTimePeriod());
            assertThat(a.getBeginTime()).isEqualTo(e.getBeginTime());
            assertThat(a.getEndTime()).isEqualTo(e.getEndTime());
            assertThat(a.getTrades()).isEqualTo(e.getTrades());
            List<Num> an = List.of(a.getOpenPrice(), a.getHighPrice(), a.getLowPrice(), a.getClosePrice(), a.getVolume(), a.getAmount());
            List<Num> en = List.of(e.getOpenPrice(), e.getHighPrice(), e.getLowPrice(), e.getClosePrice(), e.getVolume(), e.getAmount());
            for (int k = 0; k < an.size(); k++) {
                assertThat(an.get(k)).isInstanceOf(DoubleNum.class);
                assertThat(Double.doubleToRawLongBits(an.get(k).doubleValue()))
                        .as("bar %d value %d", i, k).isEqualTo(Double.doubleToRawLongBits(en.get(k).doubleValue()));
            }
        }
    }

    @Test
    void theCachedSeriesHasExactlyTheBarsOfAPlainTa4jBuild() {
        CandleBars bars = new CandleBars();
        CandleHistory h = CandleHistory.empty();
        for (Candle c : walk(200, 3)) {
            h = h.append(c, KEPT);
            assertSameSeries(bars.series(h.candles()), plainSeries(h.candles()));
        }
    }

    @Test
    void aSlidingHistoryGivesExactlyTheFreshResultWhileBuildingOneBarPerCandle() {
        CandleBars bars = new CandleBars();
        CandleHistory h = CandleHistory.empty();
        List<Candle> candles = walk(400, 7);
        for (Candle c : candles) {
            h = h.append(c, KEPT);
            assertThat(DETECTOR.evaluate(h.candles(), bars)).isEqualTo(DETECTOR.evaluate(h.candles()));
        }
        // one full build at warm-up, then one bar per candle
        int warmUp = RegimeRules.defaults().warmUpCandles();
        assertThat(bars.barsBuilt()).isEqualTo(warmUp + (candles.size() - warmUp));
    }

    @Test
    void aHistoryOfTheSameSizeAndLastCandleButADifferentCandleInsideRebuildsItsBars() {
        List<Candle> candles = walk(KEPT, 11);
        CandleBars bars = new CandleBars();
        MarketState before = DETECTOR.evaluate(candles, bars);
        // as if a rebalance or crash recovery restored another history: same size, same newest candle
        List<Candle> restored = new ArrayList<>(candles);
        restored.set(KEPT - 5, withHigh(candles.get(KEPT - 5), candles.get(KEPT - 5).high() + 80));
        MarketState fresh = DETECTOR.evaluate(restored);
        assertThat(fresh).isNotEqualTo(before); // the changed candle matters
        assertThat(DETECTOR.evaluate(restored, bars)).isEqualTo(fresh);
    }

    @Test
    void aSlidHistoryWithADifferentOlderCandleRebuildsItsBars() {
        List<Candle> candles = walk(KEPT + 1, 13);
        CandleBars bars = new CandleBars();
        DETECTOR.evaluate(candles.subList(0, KEPT), bars);
        List<Candle> next = new ArrayList<>(candles.subList(1, KEPT + 1));
        next.set(KEPT - 10, withHigh(next.get(KEPT - 10), next.get(KEPT - 10).high() + 80));
        assertThat(DETECTOR.evaluate(next, bars)).isEqualTo(DETECTOR.evaluate(next))
                .isNotEqualTo(DETECTOR.evaluate(candles.subList(1, KEPT + 1)));
    }

    @Test
    void aHistoryReloadedAsEqualCopiesReusesTheBarsAndGivesTheSameResult() {
        List<Candle> candles = walk(KEPT, 17);
        CandleBars bars = new CandleBars();
        DETECTOR.evaluate(candles, bars);
        long built = bars.barsBuilt();
        List<Candle> reloaded = candles.stream().map(CandleBarsTest::copy).toList();
        assertThat(DETECTOR.evaluate(reloaded, bars)).isEqualTo(DETECTOR.evaluate(candles));
        assertThat(bars.barsBuilt()).isEqualTo(built);
    }

    @Test
    void aShorterHistoryThanTheCachedOneRebuildsItsBars() {
        List<Candle> candles = walk(KEPT, 19);
        CandleBars bars = new CandleBars();
        DETECTOR.evaluate(candles, bars);
        List<Candle> shorter = candles.subList(20, KEPT - 20);  // neither slid by one nor the same history
        assertThat(DETECTOR.evaluate(shorter, bars)).isEqualTo(DETECTOR.evaluate(shorter));
    }

    @Test
    void eachSymbolHasItsOwnBars() {
        List<Candle> btc = walk(KEPT, 23);
        List<Candle> eth = walk(KEPT, 29).stream().map(c -> new Candle("ETH-USD", c.windowStart(), c.windowEnd(), c.open(),
                c.high(), c.low(), c.close(), c.volume(), c.trades())).toList();
        CandleBars bars = new CandleBars();
        DETECTOR.evaluate(btc, bars);
        assertThat(DETECTOR.evaluate(eth, bars)).isEqualTo(DETECTOR.evaluate(eth));
        assertThat(DETECTOR.evaluate(btc, bars)).isEqualTo(DETECTOR.evaluate(btc));
    }
}
