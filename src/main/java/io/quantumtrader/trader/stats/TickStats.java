package io.quantumtrader.trader.stats;

import io.quantumtrader.trader.events.PriceTick;

/**
 * Running statistics of one symbol's ticks (the replay stub's stage until the full pipeline lands).
 *
 * @param symbol   instrument
 * @param count    ticks seen
 * @param volume   summed size (base currency, BTC)
 * @param notional summed price × size (quote currency, USD)
 * @param high     highest price (USD); 0 before the first tick
 * @param low      lowest price (USD); 0 before the first tick
 * @param last     last price (USD); 0 before the first tick
 */
public record TickStats(String symbol, long count, double volume, double notional, double high, double low, double last) {

    /** @return stats of no ticks */
    public static TickStats empty(String symbol) {
        return new TickStats(symbol, 0, 0, 0, 0, 0, 0);
    }

    /** @return these stats with one more tick */
    public TickStats add(PriceTick t) {
        double p = t.price();
        return new TickStats(symbol, count + 1, volume + t.size(), notional + t.notional(),
                count == 0 ? p : Math.max(high, p), count == 0 ? p : Math.min(low, p), p);
    }

    /** @return volume-weighted average price in USD, or NaN with no volume */
    public double vwap() {
        return volume > 0 ? notional / volume : Double.NaN;
    }
}
