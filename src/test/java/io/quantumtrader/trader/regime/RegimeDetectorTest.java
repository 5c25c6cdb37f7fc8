package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Regime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Regime classification from candles: plain Java, no Redis. */
class RegimeDetectorTest {

    static final RegimeDetector DETECTOR = new RegimeDetector(RegimeRules.defaults());
    static final long MIN = 60_000;

    /** Candles whose close moves by {@code drift} per candle with a range of {@code range}. */
    static List<Candle> candles(int n, double drift, double range) {
        List<Candle> out = new ArrayList<>();
        double price = 1000;
        for (int i = 0; i < n; i++) {
            double open = price;
            price += drift + (i % 2 == 0 ? 0.3 : -0.3) * range;
            out.add(new Candle("BTC-USD", i * MIN, (i + 1) * MIN, open, Math.max(open, price) + range / 2,
                    Math.min(open, price) - range / 2, price, 1, 5));
        }
        return out;
    }

    @Test
    void warmsUpBeforeClassifying() {
        MarketState s = DETECTOR.evaluate(candles(RegimeRules.defaults().warmUpCandles() - 1, 1, 2));
        assertThat(s.regime()).isNull();
        assertThat(DETECTOR.spike(s)).isEmpty();
    }

    @Test
    void aSteadyClimbIsTrendingWithEmasInOrder() {
        MarketState s = DETECTOR.evaluate(candles(100, 2.0, 1.0));
        assertThat(s.regime().regime()).isEqualTo(Regime.TRENDING);
        assertThat(s.regime().adx()).isGreaterThanOrEqualTo(25);
        assertThat(s.regime().confidence()).isBetween(0.5, 1.0);
        assertThat(s.candle().close()).isGreaterThan(s.ema20());
        assertThat(s.ema20()).isGreaterThan(s.ema50());
    }

    @Test
    void aFlatChopIsRanging() {
        MarketState s = DETECTOR.evaluate(candles(100, 0.0, 4.0));
        assertThat(s.regime().regime()).isEqualTo(Regime.RANGING);
        assertThat(s.regime().adx()).isLessThan(25);
    }

    @Test
    void aRangeExplosionIsAChaoticVolatilitySpike() {
        List<Candle> calm = new ArrayList<>(candles(99, 0.0, 1.0));
        Candle last = calm.get(calm.size() - 1);
        calm.add(new Candle("BTC-USD", last.windowEnd(), last.windowEnd() + MIN, last.close(), last.close() + 60,
                last.close() - 60, last.close() + 10, 30, 50));
        MarketState s = DETECTOR.evaluate(calm);
        assertThat(s.regime().regime()).isEqualTo(Regime.CHAOTIC);
        assertThat(s.regime().volatilityRatio()).isGreaterThanOrEqualTo(2.0);
        assertThat(DETECTOR.spike(s)).hasValueSatisfying(spike -> assertThat(spike.ratio()).isEqualTo(s.regime().volatilityRatio()));
    }

    @Test
    void historyKeepsTheNewestCandles() {
        CandleHistory h = CandleHistory.empty();
        for (Candle c : candles(130, 1, 1)) {
            h = h.append(c, 120);
        }
        assertThat(h.candles()).hasSize(120);
        assertThat(h.candles().get(119).windowStart()).isEqualTo(129 * MIN);
        assertThat(h.candles().get(0).windowStart()).isEqualTo(10 * MIN);
    }
}
