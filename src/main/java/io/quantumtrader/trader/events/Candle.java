package io.quantumtrader.trader.events;

/**
 * {@code market.candle.new}: one closed OHLCV candle of a symbol (key: symbol), built from ticks by the candle builder
 * (1-minute tumbling event-time window, emitted when the window closes).
 *
 * @param symbol      instrument
 * @param windowStart window start, epoch ms (inclusive)
 * @param windowEnd   window end, epoch ms (exclusive)
 * @param open        first trade price by event time, USD
 * @param high        highest trade price, USD
 * @param low         lowest trade price, USD
 * @param close       last trade price by event time, USD
 * @param volume      traded quantity, BTC
 * @param trades      number of ticks
 * @throws IllegalArgumentException when prices are not positive, high &lt; low, or the window is empty
 */
public record Candle(String symbol, long windowStart, long windowEnd, double open, double high, double low, double close,
                     double volume, long trades) {
    public Candle {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("symbol is required");
        }
        if (!(open > 0 && high > 0 && low > 0 && close > 0) || high < low) {
            throw new IllegalArgumentException("invalid prices o=" + open + " h=" + high + " l=" + low + " c=" + close);
        }
        if (windowEnd <= windowStart || trades < 1) {
            throw new IllegalArgumentException("empty or inverted window " + windowStart + ".." + windowEnd);
        }
    }
}
