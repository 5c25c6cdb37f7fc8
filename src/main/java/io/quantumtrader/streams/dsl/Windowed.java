package io.quantumtrader.streams.dsl;

/**
 * A key with the time window it was aggregated in, as Kafka Streams' {@code Windowed<K>}.
 *
 * @param key   the record key
 * @param start window start, epoch ms, inclusive
 * @param end   window end, epoch ms, exclusive
 */
public record Windowed<K>(K key, long start, long end) {
    /** Kafka's text form: {@code [key@start/end]}. */
    @Override
    public String toString() {
        return "[" + key + "@" + start + "/" + end + "]";
    }
}
