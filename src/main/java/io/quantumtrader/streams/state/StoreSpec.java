package io.quantumtrader.streams.state;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Serde;

/**
 * Declares a key-value state store, as Kafka Streams' {@code StoreBuilder}: its name and how keys and values become
 * Redis Hash fields and values.
 *
 * @param name       store name, unique in the topology
 * @param keySerde   key ↔ hash field
 * @param valueSerde value ↔ hash value
 */
public record StoreSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    /** @return a store with string keys and JSON values of {@code valueType} */
    public static <V> StoreSpec<String, V> keyValueStore(String name, Class<V> valueType) {
        return new StoreSpec<>(name, Serde.string(), new JsonSerde<>(valueType));
    }
}
