package io.quantumtrader.streams.dsl;

/** Folds a value into an aggregate, as Kafka Streams' {@code Aggregator}. Must not return {@code null}. */
@FunctionalInterface
public interface Aggregator<K, V, VA> {
    VA apply(K key, V value, VA aggregate);
}
