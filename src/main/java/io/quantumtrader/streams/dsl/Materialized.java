package io.quantumtrader.streams.dsl;

import java.time.Duration;

/**
 * Names the state store behind a table or aggregation and, where it cannot be inferred, the value type stored
 * (JSON in a Redis Hash), as Kafka Streams' {@code Materialized}.
 *
 * @param <V> value type
 */
public final class Materialized<V> {
    final String storeName;
    final Class<V> valueType;
    final Duration retention;

    private Materialized(String storeName, Class<V> valueType, Duration retention) {
        this.storeName = storeName;
        this.valueType = valueType;
        this.retention = retention;
    }

    /** @param storeName store name, unique in the topology; the value type is inferred (from the initializer) */
    public static <V> Materialized<V> as(String storeName) {
        return new Materialized<>(storeName, null, null);
    }

    /** @param valueType the stored value class (needed by {@code reduce} and {@code table}) */
    public static <V> Materialized<V> as(String storeName, Class<V> valueType) {
        return new Materialized<>(storeName, valueType, null);
    }

    /**
     * @param retention how long windows are kept after their start (windowed stores only); default size + grace,
     *                  so a window is deleted once it is closed. Only with updates emitted (the default
     *                  {@code onWindowUpdate}): final results ({@code suppress(untilWindowCloses())},
     *                  {@code emitStrategy(onWindowClose())}) delete each window as it is emitted, so a longer retention
     *                  with them is refused at build time ({@code TopologyException})
     */
    public Materialized<V> withRetention(Duration retention) {
        return new Materialized<>(storeName, valueType, retention);
    }

    /**
     * Refuses a retention where it would be ignored: a key-value store keeps its keys until deleted (Kafka Streams
     * refuses {@code withRetention} on one too). Until 2026-12-07 a {@code count(...withRetention(1h))} or a table with
     * one built and never expired a key (found in review).
     *
     * @param what the operation, for the message ({@code "count"}, {@code "table"})
     * @throws TopologyException when a retention is set
     */
    void refuseRetention(String what) {
        if (retention != null) {
            throw new TopologyException(what + " keeps a key-value store '" + storeName + "', whose keys are kept until "
                    + "deleted: withRetention(" + retention + ") applies to windowed stores only; leave it out");
        }
    }
}
