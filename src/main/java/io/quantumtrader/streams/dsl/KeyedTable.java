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

    KeyedTable(TopologyBuilder builder, TopologyNode node, String storeName, AtomicReference<EmitStrategy> windowEmit) {
        this.builder = builder;
        this.node = node;
        this.storeName = storeName;
        this.windowEmit = windowEmit;
    }

    /** @return the name of the state store holding this table */
    public String queryableStoreName() {
        return storeName;
    }

    /** @return the table's updates as a stream (a deleted key gives a record with a {@code null} value) */
    public EventStream<K, V> toStream() {
        return new EventStream<>(builder, node);
    }

    /** @return the table's updates as a stream, through a pass-through node named {@code named} */
    public EventStream<K, V> toStream(Named named) {
        return new EventStream<K, V>(builder, node).filter((k, v) -> true, named);
    }

    /**
     * Holds back updates until each window closes (windowed aggregations only), as Kafka Streams' {@code suppress}.
     *
     * @throws TopologyException when this table is not the direct result of a windowed aggregation
     */
    public KeyedTable<K, V> suppress(Suppressed suppressed) {
        if (windowEmit == null) {
            throw new TopologyException("suppress(untilWindowCloses()) needs a windowed aggregation; table '"
                    + storeName + "' is not windowed");
        }
        windowEmit.set(EmitStrategy.ON_WINDOW_CLOSE);
        return this;
    }
}
