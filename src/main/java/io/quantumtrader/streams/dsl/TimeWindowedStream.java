package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.TopologyNode;
import io.quantumtrader.streams.dsl.internals.WindowAggregateStage;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Serde;
import io.quantumtrader.streams.state.StoreSpec;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * A grouped stream windowed by event time, as Kafka Streams' {@code TimeWindowedKStream}. Aggregations give a table
 * keyed by {@link Windowed Windowed&lt;String&gt;}; see {@link WindowAggregateStage} for late records and emission.
 *
 * @param <V> value type
 */
public final class TimeWindowedStream<V> {

    private final TopologyBuilder builder;
    private final TopologyNode node;
    private final TimeWindows windows;
    private EmitStrategy emitStrategy = EmitStrategy.ON_WINDOW_UPDATE;

    TimeWindowedStream(TopologyBuilder builder, TopologyNode node, TimeWindows windows) {
        this.builder = builder;
        this.node = node;
        this.windows = windows;
    }

    /** @param strategy emit every update (default) or only final results when windows close */
    public TimeWindowedStream<V> emitStrategy(EmitStrategy strategy) {
        this.emitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Folds each key's values per window into an aggregate stored in {@code materialized}'s store.
     *
     * @throws TopologyException when the retention is shorter than size + grace, or longer with
     *                           {@code emitStrategy(onWindowClose())} (final results delete each window at its close)
     */
    public <VA> KeyedTable<Windowed<String>, VA> aggregate(Supplier<VA> initializer, Aggregator<String, ? super V, VA> aggregator,
                                                           Materialized<VA> materialized) {
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(aggregator, "aggregator");
        String store = materialized.storeName;
        builder.addStateStore(new StoreSpec<>(store, Serde.string(), new JsonSerde<>(GroupedStream.valueType(materialized, initializer))));
        long retention = materialized.retention != null ? materialized.retention.toMillis() : windows.sizeMs() + windows.gracePeriodMs();
        if (retention < windows.sizeMs() + windows.gracePeriodMs()) {
            throw new TopologyException("store '" + store + "': retention " + retention + " ms is shorter than window size + grace ("
                    + (windows.sizeMs() + windows.gracePeriodMs()) + " ms)");
        }
        Long longRetention = retention > windows.sizeMs() + windows.gracePeriodMs() ? retention : null;
        if (longRetention != null && emitStrategy == EmitStrategy.ON_WINDOW_CLOSE) {
            throw KeyedTable.retentionWithFinalResults(store, retention);
        }
        AtomicReference<EmitStrategy> emit = new AtomicReference<>(emitStrategy);
        String name = builder.nameFor(Named.as(store + "-window-aggregate"), "WINDOWAGGREGATE");
        TopologyNode n = builder.addProcessor(name,
                () -> new WindowAggregateStage(name, store, windows, retention, emit::get, initializer, aggregator),
                Set.of(store), List.of(node));
        n.markKeyPartitioned();
        n.markWindowedKeys(true);
        return new KeyedTable<>(builder, n, store, emit, longRetention);
    }

    /** Combines each key's values per window; {@code materialized} must name the value type. */
    public KeyedTable<Windowed<String>, V> reduce(BinaryOperator<V> reducer, Materialized<V> materialized) {
        if (materialized.valueType == null) {
            throw new TopologyException("reduce needs the value type: Materialized.as(\"" + materialized.storeName + "\", Type.class)");
        }
        return aggregate(() -> null, (k, v, agg) -> agg == null ? v : reducer.apply(agg, v), materialized);
    }

    /** Counts records per key and window. */
    public KeyedTable<Windowed<String>, Long> count(Materialized<Long> materialized) {
        Materialized<Long> counts = Materialized.as(materialized.storeName, Long.class);
        return aggregate(() -> 0L, (k, v, n) -> n + 1,
                materialized.retention == null ? counts : counts.withRetention(materialized.retention));
    }
}
