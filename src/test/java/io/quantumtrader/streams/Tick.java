package io.quantumtrader.streams;

/** A test payload: a price tick with a per-symbol sequence number. */
public record Tick(String symbol, double price, long seq) {
    public Tick {
        if (price <= 0) {
            throw new IllegalArgumentException("price must be positive, was " + price);
        }
    }
}
