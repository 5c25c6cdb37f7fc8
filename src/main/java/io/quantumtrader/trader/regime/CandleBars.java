package io.quantumtrader.trader.regime;

import io.quantumtrader.trader.events.Candle;
import org.ta4j.core.Bar;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ta4j bars of each symbol's last candle history, kept between evaluations so that a new candle costs one new bar
 * instead of rebuilding all of them (building the bars was a fifth of the regime detector's CPU in the replay's
 * profile). A bar is a pure function of its candle, and every use checks the cached candles against the history
 * passed in, candle by candle (the same object, or equal values after the history was reloaded from the state store):
 * whatever does not match (a crash recovery, a rebalance, a retried record) gets its bars rebuilt, so the
 * indicators see exactly the bars a fresh build would give. The indicators themselves are recomputed over the whole
 * history at every candle: they start at the history's oldest candle, so results of a sliding window cannot be
 * carried over without changing them.
 * <p>
 * Plain Java, not thread-safe: one per regime processor (one per task).
 */
public final class CandleBars {

    private final Map<String, Window> windows = new HashMap<>();
    private long built;

    /**
     * @param history a symbol's candles, oldest first (not empty)
     * @return a new ta4j series (DoubleNum) of the history's bars, named after the symbol
     */
    public BarSeries series(List<Candle> history) {
        String symbol = history.get(history.size() - 1).symbol();
        Window cached = windows.get(symbol);
        int from = cached == null ? -1 : cached.offsetOf(history);
        List<Bar> bars = new ArrayList<>(history.size());
        int reused = 0;
        if (from >= 0) {
            reused = Math.min(history.size(), cached.candles.size() - from);
            bars.addAll(cached.bars.subList(from, from + reused));
        }
        for (int i = reused; i < history.size(); i++) {
            bars.add(bar(history.get(i)));
            built++;
        }
        windows.put(symbol, new Window(history, bars));
        // DoubleNum: the inputs are doubles already, and ta4j's default BigDecimal arithmetic cost 3/4 of the replay's CPU
        BarSeries series = new BaseBarSeriesBuilder().withName(symbol).withNumTypeOf(DoubleNum.class).build();
        for (Bar b : bars) {
            series.addBar(b); // ta4j's own checks (increasing end times), as when the bars were added one by one
        }
        return series;
    }

    /** @return bars built so far (not taken from the cache); for tests */
    long barsBuilt() {
        return built;
    }

    /** A candle's bar, built by the very ta4j call a fresh series uses. */
    private static Bar bar(Candle c) {
        BarSeries one = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum.class).build();
        one.addBar(Duration.ofMillis(c.windowEnd() - c.windowStart()),
                ZonedDateTime.ofInstant(Instant.ofEpochMilli(c.windowEnd()), ZoneOffset.UTC),
                c.open(), c.high(), c.low(), c.close(), c.volume());
        return one.getBar(0);
    }

    /** The candles of the last evaluated history and their bars, index by index. */
    private record Window(List<Candle> candles, List<Bar> bars) {

        /**
         * @return the index in this window of the history's oldest candle when the history continues this window
         *         (the window slid by one candle, or is the same history again) and every overlapping candle matches;
         *         -1 otherwise
         */
        int offsetOf(List<Candle> history) {
            int slid = candles.size() - (history.size() - 1);
            if (matches(history, slid)) {
                return slid;
            }
            int same = candles.size() - history.size();
            return matches(history, same) ? same : -1;
        }

        private boolean matches(List<Candle> history, int from) {
            if (from < 0 || from >= candles.size()) {
                return false;
            }
            int overlap = Math.min(history.size(), candles.size() - from);
            for (int i = 0; i < overlap; i++) {
                Candle mine = candles.get(from + i);
                Candle theirs = history.get(i);
                if (mine != theirs && !mine.equals(theirs)) {
                    return false;
                }
            }
            return true;
        }
    }
}
