package io.quantumtrader.trader.market;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PriceTick;

/**
 * The aggregate of one candle window while it is open: open and close follow event time (an out-of-order tick lands
 * where it belongs), high/low/volume/trades accumulate.
 *
 * @param openTime  event time of the open, epoch ms ({@code Long.MAX_VALUE} when empty)
 * @param closeTime event time of the close, epoch ms ({@code Long.MIN_VALUE} when empty)
 */
public record CandleBuilder(double open, long openTime, double high, double low, double close, long closeTime,
                            double volume, long trades) {

    /** @return the aggregate of no ticks */
    public static CandleBuilder empty() {
        return new CandleBuilder(0, Long.MAX_VALUE, 0, 0, 0, Long.MIN_VALUE, 0, 0);
    }

    /** @return this aggregate with one more tick */
    public CandleBuilder add(PriceTick t) {
        boolean first = trades == 0;
        long time = t.timestamp();
        return new CandleBuilder(time < openTime ? t.price() : open, Math.min(openTime, time),
                first ? t.price() : Math.max(high, t.price()), first ? t.price() : Math.min(low, t.price()),
                time >= closeTime ? t.price() : close, Math.max(closeTime, time), volume + t.size(), trades + 1);
    }

    /** @return the closed candle of window {@code [start, end)} */
    public Candle toCandle(String symbol, long start, long end) {
        return new Candle(symbol, start, end, open, high, low, close, volume, trades);
    }
}
