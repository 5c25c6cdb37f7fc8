package io.quantumtrader.streams.processor;

import io.quantumtrader.streams.record.Record;

/**
 * A record-at-a-time processor with access to state stores, as Kafka Streams' {@code api.Processor}. One instance is
 * created per task by its {@link ProcessorSupplier}; it is called from one thread at a time, in input order.
 * A thrown exception is retried with backoff and then dead-letters the input (its store writes are undone).
 */
public interface Processor<KIn, VIn, KOut, VOut> {

    /**
     * Called once when the task starts, after its stores are loaded and before it reads its first input (also after a
     * restart or a rebalance): get stores, schedule punctuations, restore what the processor holds from its stores, so
     * that {@link #earliestHeldTimestamp()} counts it from the first batch on. It may not
     * {@link ProcessorContext#forward forward} a record (refused with an {@link IllegalStateException}): forward from
     * {@link #process} or from a punctuation scheduled here.
     */
    default void init(ProcessorContext<KOut, VOut> context) {
    }

    /** Processes one record; forward results through the context given to {@link #init}. */
    void process(Record<KIn, VIn> record);

    /**
     * The earliest timestamp (epoch ms) of a record this processor holds back and may still forward with that
     * timestamp, {@link Long#MAX_VALUE} (the default) when it holds none. A processor that keeps records in a store to
     * forward later at their own time (a suspect print waiting for confirmation, say) returns the earliest of them:
     * the task's watermark then stays below it ({@code min(stream time - lag, this - 1)}), so an aligned consumer
     * downstream does not release records of its other inputs past a record still to come. Without it, that record
     * arrives behind a watermark it is older than, and its place in the consumer's event-time order depends on how the
     * work is split into batches and partitions.
     *
     * <p>Called by the task after each batch and each punctuation, before its commit (the answer goes into that
     * commit's watermark), and, when a windowed aggregation with final results is downstream of it in the same
     * sub-topology, as each input record and punctuation starts and for every record reaching that window (its windows
     * stay open below a held record: keep this cheap), always from the thread that calls {@link #process}; it may read
     * the processor's stores. It is
     * asked again every time, so it must reflect the stores as they are now (a failed attempt's writes are undone).
     * Holding the watermark delays every aligned consumer downstream: hold only what will be forwarded. After every
     * input has ended the task runs its end-of-input punctuation (stream time {@code Long.MAX_VALUE}: release what is
     * held there) and publishes the end of input once this returns {@link Long#MAX_VALUE}, or 5 s (wall clock) after
     * that punctuation at the latest, with a warning: records forwarded later come after the end.
     *
     * <p>{@link Long#MIN_VALUE} (a held record whose time is not known), or an exception thrown here, holds the
     * task's watermark where it is until the answer is a time again (an exception is logged at WARN, at most once a
     * minute); the task goes on processing.
     *
     * @return epoch ms of the earliest held record, or {@link Long#MAX_VALUE} when none is held
     */
    default long earliestHeldTimestamp() {
        return Long.MAX_VALUE;
    }

    /** Called when the task closes. */
    default void close() {
    }
}
