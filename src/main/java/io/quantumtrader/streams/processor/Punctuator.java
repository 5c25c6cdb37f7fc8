package io.quantumtrader.streams.processor;

/** Called on schedule by {@link ProcessorContext#schedule}; may forward records and use stores. */
@FunctionalInterface
public interface Punctuator {
    /** @param timestamp the stream time or wall-clock time (epoch ms) that triggered the call */
    void punctuate(long timestamp);
}
