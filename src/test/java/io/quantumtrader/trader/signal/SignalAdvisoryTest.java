package io.quantumtrader.trader.signal;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.regime.MarketState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The advisory's gates and signal geometry: plain Java, no Redis. */
class SignalAdvisoryTest {

    static final SignalAdvisory ADVISORY = new SignalAdvisory();
    static final Candle CANDLE = new Candle("BTC-USD", 0, 60_000, 99, 101, 98, 100, 3, 7);

    static MarketState state(Regime regime, double adx, double ema20, double ema50) {
        return new MarketState(CANDLE, new RegimeUpdate("BTC-USD", 60_000, regime, 0.8, adx, 2.0, 1.5, 1.33, CANDLE.close(), ema20, ema50), ema20, ema50);
    }

    @Test
    void longInAnAlignedUptrend() {
        Advice a = ADVISORY.advise(state(Regime.TRENDING, 40, 99, 97));
        assertThat(a.noSignal()).isNull();
        assertThat(a.signal().direction()).isEqualTo(Direction.LONG);
        assertThat(a.signal().entryPrice()).isEqualTo(100);
        assertThat(a.signal().stopLoss()).isEqualTo(96);      // 2 x ATR below
        assertThat(a.signal().takeProfit()).isEqualTo(106);   // 3 x ATR above
        assertThat(a.signal().edgeScore()).isEqualTo(64);     // 2 x ADX x confidence
        assertThat(a.signal().executionPower()).isEqualTo("NONE");
        assertThat(a.signal().signalId()).isEqualTo("BTC-USD-60000");
    }

    @Test
    void shortInAnAlignedDowntrend() {
        Advice a = ADVISORY.advise(state(Regime.TRENDING, 30, 101, 103));
        assertThat(a.signal().direction()).isEqualTo(Direction.SHORT);
        assertThat(a.signal().stopLoss()).isEqualTo(104);
        assertThat(a.signal().takeProfit()).isEqualTo(94);
    }

    @Test
    void declinesNameTheGateThatFailed() {
        assertThat(ADVISORY.advise(new MarketState(CANDLE, null, Double.NaN, Double.NaN)).noSignal().gate()).isEqualTo("warming_up");
        assertThat(ADVISORY.advise(state(Regime.CHAOTIC, 40, 99, 97)).noSignal().gate()).isEqualTo("volatility_spike");
        assertThat(ADVISORY.advise(state(Regime.RANGING, 15, 99, 97)).noSignal().gate()).isEqualTo("regime_not_trending");
        assertThat(ADVISORY.advise(state(Regime.TRENDING, 40, 101, 97)).noSignal().gate()).isEqualTo("no_trend_alignment");
    }
}
