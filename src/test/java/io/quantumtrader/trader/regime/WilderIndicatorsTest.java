package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.Test;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.adx.ADXIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.num.DoubleNum;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WilderIndicators} against ta4j 0.17 itself (the library the regime detector used before; it stays here, in
 * test scope, as the reference): ATR and ADX at every index and both EMAs, bit for bit, over every window the replay's
 * regime detector evaluates on the 100,000 Bitstamp trades, and over random walks with flat candles, repeated highs
 * and lows and gaps (ta4j's zero tests and ties).
 */
class WilderIndicatorsTest {

    static final RegimeRules RULES = RegimeRules.defaults();
    static final long MIN = 60_000;

    /** A fresh ta4j DoubleNum series of the candles, as the detector built it before. */
    static BarSeries ta4jSeries(List<Candle> window) {
        BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum.class).build();
        for (Candle c : window) {
            series.addBar(Duration.ofMillis(c.windowEnd() - c.windowStart()),
                    ZonedDateTime.ofInstant(Instant.ofEpochMilli(c.windowEnd()), ZoneOffset.UTC),
                    c.open(), c.high(), c.low(), c.close(), c.volume());
        }
        return series;
    }

    static void assertSameAsTa4j(List<Candle> window, int atrPeriod, int adxPeriod) {
        WilderIndicators mine = WilderIndicators.of(window, atrPeriod, adxPeriod);
        BarSeries series = ta4jSeries(window);
        ATRIndicator atr = new ATRIndicator(series, atrPeriod);
        ADXIndicator adx = new ADXIndicator(series, adxPeriod);
        ClosePriceIndicator close = new ClosePriceIndicator(series);
        assertThat(mine.endIndex()).isEqualTo(series.getEndIndex());
        for (int i = 0; i <= series.getEndIndex(); i++) {
            assertThat(Double.doubleToRawLongBits(mine.atr(i))).as("ATR at %d of %d", i, window.size())
                    .isEqualTo(Double.doubleToRawLongBits(atr.getValue(i).doubleValue()));
            assertThat(Double.doubleToRawLongBits(mine.adx(i))).as("ADX at %d of %d", i, window.size())
                    .isEqualTo(Double.doubleToRawLongBits(adx.getValue(i).doubleValue()));
        }
        for (int period : new int[] {20, 50}) {
            assertThat(Double.doubleToRawLongBits(mine.emaOfClose(period))).as("EMA %d of %d", period, window.size())
                    .isEqualTo(Double.doubleToRawLongBits(new EMAIndicator(close, period).getValue(series.getEndIndex()).doubleValue()));
        }
    }

    /** One-minute candles of the Bitstamp trades, built here (not by the pipeline's candle stage). */
    static List<Candle> bitstampMinutes() throws Exception {
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            assertThat(in).as("the Bitstamp trades (org.ta4j:ta4j-examples) on the test classpath").isNotNull();
            ticks = TradesCsv.read(in, "BTC-USD").ticks();
        }
        List<Candle> out = new ArrayList<>();
        long start = -1;
        double open = 0, high = 0, low = 0, close = 0, volume = 0;
        long trades = 0;
        for (PriceTick t : ticks) {
            long minute = Math.floorDiv(t.timestamp(), MIN) * MIN;
            if (minute != start) {
                if (start >= 0) {
                    out.add(new Candle("BTC-USD", start, start + MIN, open, high, low, close, volume, trades));
                }
                start = minute;
                open = high = low = t.price();
                volume = 0;
                trades = 0;
            }
            high = Math.max(high, t.price());
            low = Math.min(low, t.price());
            close = t.price();
            volume += t.size();
            trades++;
        }
        out.add(new Candle("BTC-USD", start, start + MIN, open, high, low, close, volume, trades));
        return out;
    }

    @Test
    void everyWindowOfTheBitstampReplayGivesTa4jsValuesBitForBit() throws Exception {
        List<Candle> minutes = bitstampMinutes();
        assertThat(minutes).hasSizeGreaterThan(5_000);
        int kept = RULES.historyCandles();
        for (int end = 1; end <= minutes.size(); end++) {
            assertSameAsTa4j(minutes.subList(Math.max(0, end - kept), end), RULES.atrPeriod(), RULES.adxPeriod());
        }
    }

    @Test
    void flatCandlesTiesAndGapsGiveTa4jsValuesBitForBit() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Candle> window = new ArrayList<>();
            double price = 100 + random.nextInt(1000);
            int n = 1 + random.nextInt(130);
            for (int i = 0; i < n; i++) {
                double open = price;
                int shape = random.nextInt(6);
                if (shape == 0) {
                    window.add(new Candle("X", i * MIN, (i + 1) * MIN, price, price, price, price, 1, 1));   // flat: TR 0
                    continue;
                }
                if (shape == 1 && !window.isEmpty()) {
                    Candle last = window.get(window.size() - 1);                                              // same high and low
                    window.add(new Candle("X", i * MIN, (i + 1) * MIN, last.open(), last.high(), last.low(), last.close(), 1, 1));
                    continue;
                }
                price = Math.max(0.01, price + (shape == 2 ? 50 : 1) * random.nextGaussian());              // shape 2: a gap
                double tick = random.nextInt(3) * 0.000001;                                                  // ranges near the zero tests
                window.add(new Candle("X", i * MIN, (i + 1) * MIN, open, Math.max(open, price) + tick,
                        Math.min(open, price) - tick, price, 1, 1));
            }
            int atrPeriod = 1 + random.nextInt(20);
            int adxPeriod = 1 + random.nextInt(20);
            assertSameAsTa4j(window, atrPeriod, adxPeriod);
        }
    }

    @Test
    void anEmptyWindowOrAPeriodBelowOneIsRefused() {
        List<Candle> one = List.of(new Candle("X", 0, MIN, 1, 1, 1, 1, 1, 1));
        assertThatThrownBy(() -> WilderIndicators.of(List.of(), 14, 14)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 candles");
        assertThatThrownBy(() -> WilderIndicators.of(one, 0, 14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilderIndicators.of(one, 14, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
