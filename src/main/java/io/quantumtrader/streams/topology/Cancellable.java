package io.quantumtrader.streams.topology;

/** Cancels a scheduled punctuation. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
