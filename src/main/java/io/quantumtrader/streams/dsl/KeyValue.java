package io.quantumtrader.streams.dsl;

/** A key and a value, the result of {@link EventStream#map} and {@link EventStream#flatMap}. */
public record KeyValue<K, V>(K key, V value) {
    public static <K, V> KeyValue<K, V> pair(K key, V value) {
        return new KeyValue<>(key, value);
    }
}
