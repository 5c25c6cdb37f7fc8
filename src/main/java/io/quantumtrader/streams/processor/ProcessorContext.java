package io.quantumtrader.streams.processor;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;

/**
 * What a {@link Processor} sees of its task, as Kafka Streams' {@code api.ProcessorContext}.
 *
 * @param <KOut> key type of forwarded records
 * @param <VOut> value type of forwarded records
 */
public interface ProcessorContext<KOut, VOut> {

    /**
     * Sends a record to every child of the processor node. Forwarded records are committed with the input batch (or
     * with the punctuation that forwarded them), so a record may be forwarded only from {@link Processor#process} or
     * from a {@link Punctuator} scheduled with {@link #schedule}.
     *
     * @throws ForwardOutsideProcessingException when called from {@link Processor#init} or outside {@code process}
     *         and the punctuations (e.g. from another thread): the message names the node. Such a record has nothing to
     *         be committed with; until 2026-12-06 it was silently dropped. Kafka Streams' {@code ProcessorContextImpl}
     *         likewise refuses a forward outside a node's call ({@code StreamsException} "Current node is unknown
     *         ... called in an illegal scope"); a task whose {@code init} forwards stops for good (runtime ERROR,
     *         health DOWN, a CRITICAL alert naming the node): a restart would fail the same way
     */
    void forward(Record<? extends KOut, ? extends VOut> record);

    /**
     * @return the task's store of that name (connected with {@code process(..., storeNames)})
     * @throws TopologyException when the store is not connected to this processor
     */
    <K, V> KeyValueStore<K, V> getStateStore(String name);

    /**
     * Schedules a punctuation, as Kafka Streams' {@code ProcessorContext#schedule}. {@link PunctuationType#STREAM_TIME}
     * fires after the first record this processor processes, then after a record moves its stream time to or past
     * the next multiple of {@code interval} (once, even when several intervals passed); {@link
     * PunctuationType#WALL_CLOCK_TIME} fires on the runtime's punctuation tick once the clock reached {@code interval}
     * after the schedule was made, then {@code interval} after that (missed intervals are skipped). The punctuator
     * gets the stream time or the clock's time, ms. Records forwarded and store writes made by the punctuator are
     * committed like those of a record. A stream-time punctuation's records come after everything the record that
     * moved stream time made in the sub-topology (where records meet: a merge, two sinks of one stream), as in Kafka
     * Streams, which punctuates once the record's processing returned.
     *
     * @return a handle to cancel the schedule
     * @throws IllegalArgumentException when {@code interval} is not positive
     */
    Cancellable schedule(java.time.Duration interval, PunctuationType type, Punctuator punctuator);

    /**
     * Counts one of this processor's records under {@code reason} in the counter
     * {@code qt.streams.node.records.counted{node, reason}}: for what a processor decides that the engine cannot see
     * (e.g. prints a filter refused, by why). Counted when the commit of the batch lands, as the engine's own record
     * counters: a record processed again after a failure is counted once.
     *
     * @param reason the {@code reason} tag: a short {@code snake_case} word from a fixed set ({@link #declareCounts})
     */
    void count(String reason);

    /**
     * Registers {@code qt.streams.node.records.counted{node, reason}} at 0 for each reason, so that the first
     * {@link #count} shows to Prometheus' {@code rate()} (a series needs a sample before it). Call it from
     * {@link Processor#init}.
     */
    void declareCounts(java.util.Set<String> reasons);

    /**
     * @return this processor's stream time (largest event time it processed, each capped at its input entry's arrival
     *         + {@code IngestLimits.maxStreamTimeLead}), epoch ms, the record being processed included (as Kafka
     *         Streams); {@code Long.MIN_VALUE} before the first
     */
    long currentStreamTimeMs();

    /** @return wall-clock time, epoch ms */
    long currentSystemTimeMs();

    /** @return task id {@code <sub-topology>_<partition>} */
    String taskId();

    /** @return the partition this task owns */
    int partition();
}
