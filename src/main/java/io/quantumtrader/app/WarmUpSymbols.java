package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The symbols of a replay that never got past the regime detector's warm-up: it classifies a symbol only from its
 * {@link io.quantumtrader.trader.regime.RegimeRules#warmUpCandles()}-th candle on, so a symbol with fewer candles gets
 * no regime, no signal and no trade. Found in review (2026-12-07, multi-symbol replay): a symbol of 40 daily bars went
 * through the whole replay without a word. Plain Java, no Redis.
 */
final class WarmUpSymbols {

    private WarmUpSymbols() {
    }

    /**
     * @param symbols the replay's symbols
     * @param candles the candles the run emitted, any order
     * @param warmUp  candles the regime detector needs before its first classification
     * @return one line per symbol with fewer candles than {@code warmUp}, in symbol order; empty when none
     */
    static List<String> notices(Collection<String> symbols, List<Candle> candles, int warmUp) {
        Map<String, Integer> count = new TreeMap<>();
        symbols.forEach(s -> count.put(s, 0));
        candles.forEach(c -> count.merge(c.symbol(), 1, Integer::sum));
        List<String> lines = new ArrayList<>();
        count.forEach((symbol, n) -> {
            if (n < warmUp) {
                lines.add(String.format("%s: %,d candle%s, fewer than the %d the regime detector needs before it classifies "
                        + "(warm-up): no regime, signal or trade for it", symbol, n, n == 1 ? "" : "s", warmUp));
            }
        });
        return lines;
    }
}
