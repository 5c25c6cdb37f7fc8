package io.quantumtrader.streams.dsl;

/**
 * A table replicated in full (every partition of its stream) to every task, as Kafka Streams' {@code GlobalKTable}:
 * for small, slowly changing state every stage needs, such as the kill switch and risk limits. Join it with
 * {@link EventStream#join(GlobalTable, java.util.function.BiFunction, java.util.function.BiFunction)}. Each task
 * refreshes its replica from the stream before every batch, so an update published before a record is read is seen
 * by that record.
 *
 * @param <K> key type (String)
 * @param <V> value type
 */
public final class GlobalTable<K, V> {

    final String storeName;
    final String stream;

    GlobalTable(String storeName, String stream) {
        this.storeName = storeName;
        this.stream = stream;
    }

    /** @return the global store's name */
    public String queryableStoreName() {
        return storeName;
    }

    /** @return the stream the table is built from */
    public String stream() {
        return stream;
    }
}
