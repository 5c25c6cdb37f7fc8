package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.RegimeUpdate;

/**
 * A closed candle with the indicators and regime computed at its close; passed from the regime detector to the
 * signal advisory.
 *
 * @param regime {@code null} while warming up
 * @param ema20  EMA(20) of closes, USD (NaN while warming up)
 * @param ema50  EMA(50) of closes, USD (NaN while warming up)
 */
public record MarketState(Candle candle, RegimeUpdate regime, double ema20, double ema50) {
}
