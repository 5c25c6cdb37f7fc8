package io.quantumtrader.streams;

/** A test payload derived from {@link Tick}. */
public record PricedTick(String symbol, long seq, long priceCents) {
}
