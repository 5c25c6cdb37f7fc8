package io.quantumtrader.streams.state;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Serde;

/**
 * Declares a key-value state store, as Kafka Streams' {@code StoreBuilder}: its name and how keys and values become
 * Redis Hash fields and values.
 *
 * @param name            store name, unique in the topology
 * @param keySerde        key ↔ hash field
 * @param valueSerde      value ↔ hash value
 * @param immutableValues whether the values are immutable, so the task's cache hands out the stored objects
 *                        themselves; otherwise each {@code get} and {@code all} returns copies (through the value
 *                        serde), as Kafka Streams' byte stores do, so code that changes a value it read in place (an
 *                        aggregator that mutates and returns its accumulator) changes neither the store nor a value
 *                        forwarded before. By default {@link Serde#immutableValues()}
 */
public record StoreSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean immutableValues) {

    /** A store whose values are immutable when its value serde says so ({@link Serde#immutableValues()}). */
    public StoreSpec(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, valueSerde.immutableValues());
    }

    /** @return a store with string keys and JSON values of {@code valueType} */
    public static <V> StoreSpec<String, V> keyValueStore(String name, Class<V> valueType) {
        return new StoreSpec<>(name, Serde.string(), new JsonSerde<>(valueType));
    }

    /**
     * Declares the values immutable although their type does not show it (e.g. a record that copies its list into an
     * unmodifiable one in its constructor): the task's cache then hands out the stored objects without copying them.
     * Wrong for a value that is changed in place: the change would reach the cache but not Redis.
     *
     * @return this store with {@link #immutableValues()} true
     */
    public StoreSpec<K, V> withImmutableValues() {
        return new StoreSpec<>(name, keySerde, valueSerde, true);
    }
}
