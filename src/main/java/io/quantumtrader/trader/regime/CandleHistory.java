package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;

import java.util.ArrayList;
import java.util.List;

/**
 * The last candles of one symbol, oldest first, kept in the regime detector's state store.
 *
 * @param candles at most the history size of {@link RegimeRules}
 */
public record CandleHistory(List<Candle> candles) {

    public CandleHistory {
        candles = List.copyOf(candles);
    }

    /** @return a history of no candles */
    public static CandleHistory empty() {
        return new CandleHistory(List.of());
    }

    /** @return this history with {@code candle} appended and the oldest dropped beyond {@code max} */
    public CandleHistory append(Candle candle, int max) {
        List<Candle> next = new ArrayList<>(candles.size() + 1);
        next.addAll(candles.size() >= max ? candles.subList(candles.size() - max + 1, candles.size()) : candles);
        next.add(candle);
        return new CandleHistory(next);
    }
}
