package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Found in review (2026-12-07): the regime update rounds the ATR to 1e-6 price units (RegimeDetector.round), and the signal
 * advisory takes its stop and target from that rounded ATR. For a sub-cent symbol (LowPriceRegimeTest's fix makes it
 * TRENDING) the ATR rounds to 0 and the advisory declines {@code no_volatility}: the symbol still never trades. At a
 * cent the stop is off by a sizeable fraction of the ATR.
 */
class LowPriceAtrRoundingTest {

    private static final RegimeDetector DETECTOR = new RegimeDetector(RegimeRules.defaults());
    private static final SignalAdvisory ADVISORY = new SignalAdvisory();

    @Test
    void aSubCentTrendGetsTheSameSignalAsTheSameCandlesAtTenUsd() {
        RegimeUpdate usd = DETECTOR.evaluate(LowPriceRegimeTest.trend(10)).regime();
        Advice atTen = ADVISORY.advise(usd);
        assertThat(atTen.signal()).isNotNull();
        assertThat(atTen.signal().direction()).isEqualTo(Direction.LONG);

        List<Candle> micro = LowPriceRegimeTest.trend(0.00001);
        RegimeUpdate r = DETECTOR.evaluate(micro).regime();
        assertThat(r.regime()).isEqualTo(Regime.TRENDING);   // the regime is right (LowPriceRegimeTest) ...
        Advice a = ADVISORY.advise(r);
        // ... but its ATR was rounded to 0, and the advisory declines the trend
        assertThat(a.noSignal()).as("decline of a sub-cent TRENDING symbol: %s", a.noSignal()).isNull();
        assertThat(a.signal().direction()).isEqualTo(Direction.LONG);
    }

    @Test
    void theStopOfACentSymbolIsTwoAtrsFromTheClose() {
        List<Candle> candles = LowPriceRegimeTest.trend(0.01);
        RegimeUpdate r = DETECTOR.evaluate(candles).regime();
        double atr = WilderIndicators.of(candles, 14, 14).atr(candles.size() - 1);
        Advice a = ADVISORY.advise(r);
        assertThat(a.signal()).isNotNull();
        double close = candles.get(candles.size() - 1).close();
        // 2 x the true ATR below the close, within 0.1 % of the ATR
        assertThat(a.signal().stopLoss()).isCloseTo(close - 2 * atr, within(0.002 * atr));
    }
}
