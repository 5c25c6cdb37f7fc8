package io.quantumtrader.streams.processor;

import io.quantumtrader.streams.record.Record;

/**
 * A record-at-a-time processor with access to state stores, as Kafka Streams' {@code api.Processor}. One instance is
 * created per task by its {@link ProcessorSupplier}; it is called from one thread at a time, in input order.
 * A thrown exception is retried with backoff and then dead-letters the input (its store writes are undone).
 */
public interface Processor<KIn, VIn, KOut, VOut> {

    /**
     * Called once when the task starts, after its stores are loaded: get stores, schedule punctuations. It may not
     * {@link ProcessorContext#forward forward} a record (refused with an {@link IllegalStateException}): forward from
     * {@link #process} or from a punctuation scheduled here.
     */
    default void init(ProcessorContext<KOut, VOut> context) {
    }

    /** Processes one record; forward results through the context given to {@link #init}. */
    void process(Record<KIn, VIn> record);

    /** Called when the task closes. */
    default void close() {
    }
}
