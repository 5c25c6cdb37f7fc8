package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The regime of a trend does not depend on the price scale. Found in review 2 (2026-12-06): WilderIndicators zeroed
 * +DI/−DI when the ATR was within 0.00001 of zero, an absolute epsilon in price units (ta4j's DoubleNum.equals, copied
 * bit for bit), so for a symbol priced below about 0.01 USD (1-minute ATR below 0.00001) ADX was always 0, the regime
 * always RANGING, and the signal advisory never traded it, however strong the trend. The same candles scaled by 1e6
 * were TRENDING.
 */
class LowPriceRegimeTest {

    /** 80 one-minute candles of a steady uptrend, +0.5 % a candle, from {@code scale}. */
    static List<Candle> trend(double scale) {
        List<Candle> out = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            double p = scale * (1 + 0.005 * i);
            out.add(new Candle("X", i * 60_000L, (i + 1) * 60_000L, p * 0.999, p * 1.002, p * 0.998, p, 1, 10));
        }
        return out;
    }

    @Test
    void aSubCentSymbolTrendsLikeTheSameCandlesAtTenUsd() {
        RegimeDetector detector = new RegimeDetector(RegimeRules.defaults());
        RegimeUpdate usd = detector.evaluate(trend(10)).regime();
        assertThat(usd.regime()).isEqualTo(Regime.TRENDING);
        for (double scale : new double[]{0.01, 0.00001, 1e-9}) {
            RegimeUpdate micro = detector.evaluate(trend(scale)).regime();
            assertThat(micro.adx()).as("ADX of the same trend at %s USD", scale).isCloseTo(usd.adx(), within(1.0));
            assertThat(micro.regime()).as("regime at %s USD", scale).isEqualTo(Regime.TRENDING);
        }
    }

    /** A flat sub-cent symbol (no range at all) still has no direction: +DI/−DI 0, ADX 0. */
    @Test
    void aFlatSubCentSymbolHasNoDirection() {
        List<Candle> flat = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flat.add(new Candle("X", i * 60_000L, (i + 1) * 60_000L, 0.00001, 0.00001, 0.00001, 0.00001, 1, 10));
        }
        WilderIndicators w = WilderIndicators.of(flat, 14, 14);
        assertThat(w.adx(w.endIndex())).isZero();
    }
}
