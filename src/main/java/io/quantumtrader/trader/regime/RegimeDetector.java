package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.VolatilitySpike;

import java.util.List;
import java.util.Optional;

/**
 * Classifies a symbol's regime from its recent candles with Wilder's ADX and ATR ({@link WilderIndicators}: the
 * values of ta4j's indicators): a volatility spike (ATR at least {@code spikeRatio} × its baseline, a move after a flat
 * baseline of 0 included: {@link #UNBOUNDED_RATIO}) is CHAOTIC;
 * otherwise ADX at or above {@code trendingAdx} is TRENDING, below is RANGING. Plain Java: no streams, no Redis.
 */
public final class RegimeDetector {

    /**
     * The volatility ratio of a candle that moved after a flat baseline (ATR &gt; 0, baseline 0): unbounded, reported as
     * {@link Double#MAX_VALUE} (a finite JSON number; JSON has no infinity). Such a candle is CHAOTIC.
     */
    public static final double UNBOUNDED_RATIO = Double.MAX_VALUE;

    private final RegimeRules rules;

    public RegimeDetector(RegimeRules rules) {
        this.rules = rules;
    }

    /**
     * @param history the symbol's candles, oldest first, the newest being the one just closed
     * @return the state at the newest candle; its regime is {@code null} while fewer than {@link RegimeRules#warmUpCandles()}
     */
    public MarketState evaluate(List<Candle> history) {
        Candle last = history.get(history.size() - 1);
        if (history.size() < rules.warmUpCandles()) {
            return new MarketState(last, null, Double.NaN, Double.NaN);
        }
        WilderIndicators indicators = WilderIndicators.of(history, rules.atrPeriod(), rules.adxPeriod());
        int end = indicators.endIndex();
        double adx = indicators.adx(end);
        double atr = indicators.atr(end);
        double baseline = 0;
        for (int i = end - rules.baselineCandles(); i < end; i++) {
            baseline += indicators.atr(i);
        }
        baseline /= rules.baselineCandles();
        // after a flat stretch (baseline 0: a halted or pegged symbol) a candle that moves is a spike by the rule
        // (ATR > 0 = spikeRatio x 0); it was ratio 0, RANGING (found in review, 2026-12-07: ReviewSpikeAfterFlatTest)
        double ratio = baseline > 0 ? atr / baseline : atr > 0 ? UNBOUNDED_RATIO : 0;
        Regime regime;
        double confidence;
        if (ratio >= rules.spikeRatio()) {
            regime = Regime.CHAOTIC;
            confidence = Math.min(1, ratio / (2 * rules.spikeRatio()));
        } else if (adx >= rules.trendingAdx()) {
            regime = Regime.TRENDING;
            confidence = Math.min(1, adx / (2 * rules.trendingAdx()));
        } else {
            regime = Regime.RANGING;
            confidence = Math.min(1, 0.5 + (rules.trendingAdx() - adx) / (2 * rules.trendingAdx()));
        }
        double ema20 = indicators.emaOfClose(20);
        double ema50 = indicators.emaOfClose(50);
        RegimeUpdate update = new RegimeUpdate(last.symbol(), last.windowEnd(), regime, round(confidence), round(adx),
                round(atr), round(baseline), ratio == UNBOUNDED_RATIO ? ratio : round(ratio), last.close(), ema20, ema50);
        return new MarketState(last, update, ema20, ema50);
    }

    /**
     * @return a spike event when the state's volatility ratio reached the spike threshold: exactly when the candle is
     *         CHAOTIC (classified on the unrounded ratio; until 2026-12-07 the spike tested the ratio the update
     *         carries, rounded, and a ratio just below the threshold gave a spike for a TRENDING candle: found in review)
     */
    public Optional<VolatilitySpike> spike(MarketState state) {
        RegimeUpdate r = state.regime();
        if (r == null || r.regime() != Regime.CHAOTIC) {
            return Optional.empty();
        }
        return Optional.of(new VolatilitySpike(r.symbol(), r.candleEnd(), r.atr(), r.atrBaseline(), r.volatilityRatio()));
    }

    /** @return the rules */
    public RegimeRules rules() {
        return rules;
    }

    /**
     * @return {@code v} to 6 decimals, or to 6 significant digits when that is finer (below 0.1): an ATR in price units
     *         of a sub-cent symbol kept its digits. Until 2026-12-07 always 1e-6 (found in review): the ATR of a symbol
     *         at 0.00001 USD rounded to 0, and the advisory declined its trends ({@code no_volatility}); at a cent the
     *         stop was off by ~1 % of the ATR. Values from 0.1 up round as before (the replay's figures unchanged)
     */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        int decimals = Math.max(6, 5 - (int) Math.floor(Math.log10(Math.abs(v))));
        double scale = Math.pow(10, decimals);
        return decimals == 6 ? Math.round(v * 1e6) / 1e6 : Math.round(v * scale) / scale;
    }
}
