package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.TopologyNode;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A changelog table: the latest value per key, materialized in a state store on Redis Hashes (one hash per
 * partition), as Kafka Streams' {@code KTable}. Made by {@link TopologyBuilder#table}, or by aggregating a
 * {@link GroupedStream} / {@link TimeWindowedStream}.
 *
 * @param <K> key type ({@code String}, or {@code Windowed<String>} for windowed aggregations)
 * @param <V> value type
 */
public final class KeyedTable<K, V> {

    final TopologyBuilder builder;
    final TopologyNode node;
    final String storeName;
    private final AtomicReference<EmitStrategy> windowEmit;
    /** Who reads a windowed aggregation's output: its updates, its final results (shared by the table's views). */
    private final Readers readers;
    /** This view is the {@link #suppress} of the aggregation. */
    private final boolean suppressedView;

    private static final class Readers {
        boolean updates;
        boolean finals;
        /** A windowed aggregation's {@code Materialized.withRetention} when longer than size + grace (ms), else null. */
        Long retentionMs;
    }

    KeyedTable(TopologyBuilder builder, TopologyNode node, String storeName, AtomicReference<EmitStrategy> windowEmit) {
        this(builder, node, storeName, windowEmit, windowEmit == null ? null : new Readers(), false);
    }

    /** A windowed aggregation's table; {@code retentionMs}: its retention when longer than size + grace, else null. */
    KeyedTable(TopologyBuilder builder, TopologyNode node, String storeName, AtomicReference<EmitStrategy> windowEmit,
               Long retentionMs) {
        this(builder, node, storeName, windowEmit, new Readers(), false);
        readers.retentionMs = retentionMs;
    }

    /**
     * Final results only delete each window as it emits (at end + grace), whatever the retention: a retention longer
     * than that was ignored without a word (found in review, 2026-12-06). Keeping the windows would need the emitted
     * ones remembered in the store, so that a task restored after a restart does not emit them again; refused instead.
     */
    static TopologyException retentionWithFinalResults(String store, long retentionMs) {
        return new TopologyException("windowed aggregation '" + store + "' has retention " + retentionMs + " ms "
                + "(Materialized.withRetention) but emits final results only (suppress(untilWindowCloses()) or "
                + "emitStrategy(onWindowClose())), which deletes each window once it is closed: drop withRetention, "
                + "or aggregate a second time without suppress to keep the windows");
    }

    private KeyedTable(TopologyBuilder builder, TopologyNode node, String storeName, AtomicReference<EmitStrategy> windowEmit,
                       Readers readers, boolean suppressedView) {
        this.builder = builder;
        this.node = node;
        this.storeName = storeName;
        this.windowEmit = windowEmit;
        this.readers = readers;
        this.suppressedView = suppressedView;
    }

    /** @return the name of the state store holding this table */
    public String queryableStoreName() {
        return storeName;
    }

    /**
     * @return the table's updates as a stream (a deleted key gives a record with a {@code null} value). Written with
     *         {@code to(stream)}, such a tombstone is an entry with {@code data} null: a table reading that stream
     *         ({@link TopologyBuilder#table}) deletes the key, but a stream source ({@link TopologyBuilder#stream})
     *         refuses it and dead-letters it ({@code null_data}, counted in {@code qt.streams.ingest.rejected}) where
     *         Kafka Streams gives the KStream a {@code null} value. To read deletions as a stream, map them to an
     *         explicit value before {@code to} (e.g. {@code mapValues(p -> p == null ? Closed.of(...) : p)}) (found in
     *         review, 2026-12-06)
     * @throws TopologyException when a windowed aggregation would be read both with and without {@link #suppress}
     */
    public EventStream<K, V> toStream() {
        read();
        return new EventStream<>(builder, node);
    }

    /**
     * @return the table's updates as a stream, through a pass-through node named {@code named}
     * @throws TopologyException as {@link #toStream()}
     */
    public EventStream<K, V> toStream(Named named) {
        read();
        return new EventStream<K, V>(builder, node).filter((k, v) -> true, named);
    }

    private void read() {
        if (readers == null) {
            return;
        }
        if (suppressedView) {
            readers.finals = true;
            windowEmit.set(EmitStrategy.ON_WINDOW_CLOSE);   // what the aggregation emits: final results only
        } else {
            readers.updates = true;
        }
        if (readers.updates && readers.finals) {
            throw mixedReaders();
        }
    }

    private TopologyException mixedReaders() {
        return new TopologyException("windowed aggregation '" + storeName + "' is read both with suppress(untilWindowCloses()) "
                + "and without it; here suppress() changes what the aggregation emits, so the unsuppressed reader would get "
                + "final results only. Read it one way, or aggregate twice (one with emitStrategy(onWindowClose()))");
    }

    /**
     * Holds back updates until each window closes (windowed aggregations only), as Kafka Streams' {@code suppress}.
     * Unlike Kafka Streams, where a suppress is a node of its own after the table, this makes the aggregation itself
     * emit final results only once the returned table is read ({@link #toStream()}): so the aggregation cannot be read
     * both ways (found in review, 2026-12-05: an unsuppressed reader of a suppressed table silently got final results
     * only); that is refused with a {@link TopologyException} instead.
     *
     * @return the suppressed view of this table
     * @throws TopologyException when this table is not the direct result of a windowed aggregation, its updates are
     *                           read already ({@link #toStream()} on this table), or the aggregation has a retention
     *                           ({@link Materialized#withRetention}) longer than window size + grace (final results
     *                           delete each window at its close)
     */
    public KeyedTable<K, V> suppress(Suppressed suppressed) {
        if (windowEmit == null) {
            throw new TopologyException("suppress(untilWindowCloses()) needs a windowed aggregation; table '"
                    + storeName + "' is not windowed");
        }
        if (readers.updates) {
            throw mixedReaders();
        }
        if (readers.retentionMs != null) {
            throw retentionWithFinalResults(storeName, readers.retentionMs);
        }
        return new KeyedTable<>(builder, node, storeName, windowEmit, readers, true);
    }
}
