package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.List;

/** What a {@link Stage} may use while it processes one batch of one task. */
public interface StageContext {

    /** @return the task id in Kafka Streams' format {@code <sub-topology>_<partition>} */
    String taskId();

    /** @return the partition this task owns */
    int partition();

    /**
     * @return the state store of this task with that name
     * @throws TopologyException when the node was not connected to the store
     */
    <K, V> KeyValueStore<K, V> store(String name);

    /**
     * Sends the input entry a record came from to its stream's dead-letter stream ({@code <stream>.dlq}) with the reason,
     * committed atomically with the batch. The record's input is still acknowledged.
     *
     * @param attempts how many times the failing node was tried
     */
    void deadLetter(Record<?, ?> record, String node, Throwable error, int attempts);

    /** @return the delays between attempts of a failing node (default 100 ms, 500 ms, 2000 ms) */
    List<Duration> retryBackoff();

    /** Starts the undo journal of the stores for one record, so a failed attempt leaves no state behind. */
    void beginRecord();

    /** Undoes the store writes made since {@link #beginRecord()}. */
    void abortRecord();

    /**
     * @return the stream time of a node: the largest event time (epoch ms) it has processed, persisted with the
     *         task's commit; {@code Long.MIN_VALUE} before its first record
     */
    long streamTime(String node);

    /** Raises the node's stream time to {@code timestamp} if larger (persisted with the next commit). */
    void advanceStreamTime(String node, long timestamp);

    /**
     * @return the time {@code record} may move stream time to, epoch ms: its event time, but in the Redis runtime no
     *         later than its input entry's arrival (the entry id's ms) plus
     *         {@link io.quantumtrader.streams.runtime.IngestLimits#maxStreamTimeLead()}, so a record stamped ahead of
     *         its arrival cannot close the windows of records that arrive on time after it (a deliberate divergence
     *         from Kafka Streams, which moves stream time to the largest timestamp seen). The test driver's entries
     *         have no arrival time: there it is the event time
     */
    long streamTimeOf(Record<?, ?> record);

    /** Counts one retry of a failing node (before the record is tried again after a backoff delay). */
    default void recordRetry(String node) {
    }

    /** Counts a record dropped because its window had closed (stream time past window end + grace). */
    void recordLate(String node);

    /**
     * Counts a record a stage dropped for another reason than lateness (Kafka Streams' {@code dropped-records}):
     * {@code null_key}, {@code null_value} or {@code negative_timestamp} where the stage needs one (an aggregation,
     * a windowed aggregation, a stream-table join, a table's source). Counted once the batch's commit lands, in
     * {@code qt.streams.records.dropped{node, reason}}.
     */
    void recordDropped(String node, String reason);

    /**
     * Counts a record a processor counted under {@code reason} ({@code ProcessorContext#count}), once the batch's
     * commit lands, in {@code qt.streams.node.records.counted{node, reason}}; undone when the record is aborted.
     */
    default void recordCounted(String node, String reason) {
    }

    /** Registers {@code qt.streams.node.records.counted{node, reason}} at 0 ({@code ProcessorContext#declareCounts}). */
    default void declareCounted(String node, String reason) {
    }

    /**
     * @return the task's replica of a global table (every partition of its stream), read-only
     * @throws TopologyException when there is no global store of that name
     */
    <K, V> KeyValueStore<K, V> globalStore(String name);

    /** @return the wall-clock time, epoch ms (the test driver's mocked clock in tests) */
    long wallClockTime();
}
