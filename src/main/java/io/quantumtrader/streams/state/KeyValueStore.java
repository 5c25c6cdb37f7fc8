package io.quantumtrader.streams.state;

import java.util.Map;

/**
 * A task's keyed state, as Kafka Streams' {@code KeyValueStore}. Backed by one Redis Hash per task partition
 * ({@code <ns>:{<ns>.<p>}:kv:<application-id>.<store>}), served from a task-local cache loaded at task start. Writes are
 * buffered and applied to Redis in the task's commit script, atomically with the batch's outputs and acks, so state
 * never runs ahead of or behind the acknowledged input.
 *
 * @param <K> key type
 * @param <V> value type. A value read is the store's own object only when the type is known to be immutable (records
 *            of plain values: {@link StoreSpec#immutableValues()}); otherwise a copy, as from Kafka Streams' stores:
 *            a change to it is stored by putting it back
 */
public interface KeyValueStore<K, V> {

    /** @return the store name */
    String name();

    /** @return the value, or {@code null} when absent */
    V get(K key);

    /** Puts a value; {@code null} deletes the key (a tombstone). */
    void put(K key, V value);

    /** @return the previous value, or {@code null} */
    V delete(K key);

    /** @return a snapshot of every entry, in no particular order */
    Map<K, V> all();

    /** @return the number of keys */
    long approximateNumEntries();
}
