package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Regime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RegimeDetector's Javadoc: "a volatility spike (ATR at least spikeRatio x its baseline) is CHAOTIC". After a flat
 * stretch (baseline ATR exactly 0: a halted or illiquid symbol, daily bars of a stock that did not trade) the first
 * candle that moves has ATR &gt; 0 &gt;= 2 x 0. Found in review (2026-12-07): the ratio was defined as 0 there and the
 * candle was never CHAOTIC (RANGING, no volatility spike, no volatility exit).
 */
class SpikeAfterFlatStretchTest {

    static final long MIN = 60_000;

    static Candle candle(int i, double o, double h, double l, double c) {
        return new Candle("XYZ", i * MIN, (i + 1) * MIN, o, h, l, c, 1, 1);
    }

    @Test
    void aMoveAfterAFlatStretchIsAVolatilitySpike() {
        RegimeDetector detector = new RegimeDetector(RegimeRules.defaults());
        List<Candle> history = new ArrayList<>();
        for (int i = 0; i < RegimeRules.defaults().warmUpCandles() - 1; i++) {
            history.add(candle(i, 100, 100, 100, 100));
        }
        history.add(candle(history.size(), 100, 110, 100, 110));   // +10 % in one candle after 64 flat ones
        MarketState s = detector.evaluate(history);
        assertThat(s.regime()).isNotNull();
        assertThat(s.regime().atr()).as("ATR").isGreaterThan(0);
        assertThat(s.regime().atrBaseline()).as("baseline").isEqualTo(0.0);
        assertThat(s.regime().regime())
                .as("ATR %s >= 2 x baseline %s: a spike by the documented rule (ratio reported %s)",
                        s.regime().atr(), s.regime().atrBaseline(), s.regime().volatilityRatio())
                .isEqualTo(Regime.CHAOTIC);
    }

    @Test
    void aNearlyFlatStretchAlreadyGivesChaotic() {
        // the discontinuity: the same move after a stretch with a 1e-4 wiggle is CHAOTIC
        RegimeDetector detector = new RegimeDetector(RegimeRules.defaults());
        List<Candle> history = new ArrayList<>();
        for (int i = 0; i < RegimeRules.defaults().warmUpCandles() - 1; i++) {
            history.add(candle(i, 100, 100.0001, 100, 100));
        }
        history.add(candle(history.size(), 100, 110, 100, 110));
        assertThat(detector.evaluate(history).regime().regime()).isEqualTo(Regime.CHAOTIC);
    }
}
