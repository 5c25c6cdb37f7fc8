package io.quantumtrader.trader.signal;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.regime.MarketState;

/**
 * Trend-following advisory (model {@value #MODEL_VERSION}): in a TRENDING regime, LONG when close &gt; EMA(20) &gt;
 * EMA(50), SHORT when close &lt; EMA(20) &lt; EMA(50); stop 2 × ATR and target 3 × ATR from the close; edge score
 * {@code min(100, 2 × ADX × confidence)}. Gates, in order: {@code warming_up}, {@code volatility_spike} (CHAOTIC),
 * {@code regime_not_trending} (RANGING), {@code no_volatility} (ATR 0), {@code no_trend_alignment}. Advisory only:
 * execution_power NONE. Plain Java: no streams, no Redis.
 */
public final class SignalAdvisory {

    public static final String MODEL_VERSION = "trend-ema-adx-1.0";

    /** @return a signal or the gate that declined ({@code warming_up} while the state has no regime yet) */
    public Advice advise(MarketState state) {
        if (state.regime() == null) {
            Candle c = state.candle();
            return new Advice(null, new NoSignal(c.symbol(), c.windowEnd(), "warming_up", "not enough candles for ADX/ATR yet",
                    MODEL_VERSION));
        }
        return advise(state.regime());
    }

    /**
     * @param r a candle's classification with the close and EMAs at that close ({@code regime.classification.update})
     * @return a signal or the gate that declined
     */
    public Advice advise(RegimeUpdate r) {
        if (r.regime() == Regime.CHAOTIC) {
            return decline(r, "volatility_spike", r.atrBaseline() == 0
                    ? String.format("ATR %.2f after a flat stretch (baseline ATR 0)", r.atr())
                    : String.format("ATR %.2f is %.1fx its baseline", r.atr(), r.volatilityRatio()));
        }
        if (r.regime() == Regime.RANGING) {
            return decline(r, "regime_not_trending", String.format("ADX %.1f below trending threshold", r.adx()));
        }
        if (!(r.atr() > 0)) {
            return decline(r, "no_volatility", "ATR is 0: no room for a stop");
        }
        double close = r.close();
        Direction direction;
        if (close > r.ema20() && r.ema20() > r.ema50()) {
            direction = Direction.LONG;
        } else if (close < r.ema20() && r.ema20() < r.ema50()) {
            direction = Direction.SHORT;
        } else {
            return decline(r, "no_trend_alignment", String.format("close %.2f, EMA20 %.2f, EMA50 %.2f not aligned",
                    close, r.ema20(), r.ema50()));
        }
        double sign = direction == Direction.LONG ? 1 : -1;
        double stop = close - sign * 2 * r.atr();
        double target = close + sign * 3 * r.atr();
        double edge = Math.min(100, Math.round(2 * r.adx() * r.confidence() * 10) / 10.0);
        String reasoning = String.format("%s trend: ADX %.1f (confidence %.2f), close %.2f vs EMA20 %.2f / EMA50 %.2f, ATR %.2f",
                direction, r.adx(), r.confidence(), close, r.ema20(), r.ema50(), r.atr());
        return new Advice(new Signal(r.symbol() + "-" + r.candleEnd(), r.symbol(), r.candleEnd(), direction, edge, close,
                stop, target, reasoning, MODEL_VERSION, "NONE", r.regime()), null);
    }

    private static Advice decline(RegimeUpdate r, String gate, String reasoning) {
        return new Advice(null, new NoSignal(r.symbol(), r.candleEnd(), gate, reasoning, MODEL_VERSION));
    }
}
