package io.quantumtrader.trader.events;

/**
 * {@code market.tick.price}: one trade print of a symbol (stream catalog, DESIGN §6; key: symbol).
 *
 * @param symbol    instrument, e.g. {@code BTC-USD}
 * @param price     trade price in quote currency (USD), &gt; 0
 * @param size      traded quantity in base currency (BTC), &ge; 0 (the Bitstamp data has prints rounded to 0)
 * @param timestamp trade time, epoch milliseconds (also the envelope's event time)
 * @throws IllegalArgumentException when a field is missing or out of range (the entry is dead-lettered)
 */
public record PriceTick(String symbol, double price, double size, long timestamp) {
    public PriceTick {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("symbol is required");
        }
        if (!(price > 0) || Double.isInfinite(price)) {
            throw new IllegalArgumentException("price must be a positive number, was " + price);
        }
        if (!(size >= 0) || Double.isInfinite(size)) {
            throw new IllegalArgumentException("size must be a non-negative number, was " + size);
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be positive epoch ms, was " + timestamp);
        }
    }

    /** @return traded value in quote currency (USD): price × size */
    public double notional() {
        return price * size;
    }
}
