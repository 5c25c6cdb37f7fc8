package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.dsl.internals.StageContext;

/**
 * Where a {@link SubtopologyExecutor} sends what it produces: the stage context (stores, dead letters) plus sink
 * outputs. The Redis runtime buffers them into the task's commit; the test driver keeps them in memory.
 */
public interface TaskOutput extends StageContext {

    /**
     * Appends a record to a stream.
     *
     * @param sinkNode the sink node's name (part of the deterministic event id)
     * @param subject      the serialized key; {@code null} for a record without key
     * @param partitionKey what picks the partition: the subject, or what the sink partitions by
     *                     ({@link io.quantumtrader.streams.dsl.EventStream#repartition}); {@code null}: the input's partition
     * @throws io.quantumtrader.streams.record.SerializationException when the value cannot be encoded
     */
    void emit(String sinkNode, String stream, String subject, String partitionKey, Record<?, ?> record);

    /**
     * Idempotent ingest: asked for each input entry that passed its source's checks, in input order.
     *
     * @param eventKey the event's input stream, {@code source} and {@code id} ({@code DedupeCache.keyOf})
     * @return true when the event was processed before within the dedupe window: the entry is acknowledged with
     *         the batch and skipped (a producer's retry, a replay into the same namespace)
     */
    default boolean duplicate(String eventKey) {
        return false;
    }

    /**
     * An input entry passed its source's checks and became a record: its event key (input stream, {@code source},
     * {@code id}: {@code DedupeCache.keyOf}) joins the task's dedupe set with the batch's commit.
     */
    default void accepted(Record.Origin origin, String eventKey) {
    }

    /**
     * The batch's input entries became these origins, indexed by {@link Record.Origin#sequence()}, before any record
     * of the batch runs: an output whose origin is one of them (the same object) is numbered per origin, any other
     * (a punctuation's, a record a processor kept from an earlier batch) per batch ({@link OutputIds}).
     */
    default void batchOrigins(java.util.List<Record.Origin> origins) {
    }

    /** A processor node ran over one batch: {@code in} records reached it, {@code out} left it, in {@code nanos}. */
    default void nodeProcessed(String node, int in, int out, long nanos) {
    }
}
