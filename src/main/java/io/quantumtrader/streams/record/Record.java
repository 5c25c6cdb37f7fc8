package io.quantumtrader.streams.record;

import java.util.Objects;

/**
 * One keyed event flowing through a topology, as in Kafka Streams' {@code org.apache.kafka.streams.processor.api.Record}.
 *
 * @param key       the record key (the envelope's {@code subject}); may be {@code null}
 * @param value     the decoded payload; {@code null} is a tombstone for tables
 * @param timestamp event time in epoch milliseconds (the envelope's {@code time}); drives windows and stream time
 * @param traceId   trace id carried unchanged from the originating event to every record derived from it
 * @param origin    the input stream entry this record was derived from (used for commit, DLQ and idempotency keys);
 *                  {@code null} for records created outside a task
 * @param <K> key type
 * @param <V> value type
 */
public record Record<K, V>(K key, V value, long timestamp, String traceId, Origin origin) {

    /** @return a copy with another key (same value, time, trace and origin) */
    public <K2> Record<K2, V> withKey(K2 newKey) {
        return new Record<>(newKey, value, timestamp, traceId, origin);
    }

    /** @return a copy with another value (same key, time, trace and origin) */
    public <V2> Record<K, V2> withValue(V2 newValue) {
        return new Record<>(key, newValue, timestamp, traceId, origin);
    }

    /** @return a copy with another key and value */
    public <K2, V2> Record<K2, V2> with(K2 newKey, V2 newValue) {
        return new Record<>(newKey, newValue, timestamp, traceId, origin);
    }

    /** @param newTimestamp event time in epoch ms @return a copy with another event time */
    public Record<K, V> withTimestamp(long newTimestamp) {
        return new Record<>(key, value, newTimestamp, traceId, origin);
    }

    @Override
    public String toString() {
        return "Record[key=" + key + ", value=" + value + ", timestamp=" + timestamp + ", traceId=" + traceId
                + (origin == null ? "" : ", origin=" + origin.stream() + "/" + origin.partition() + "/" + origin.entryId()) + "]";
    }

    /**
     * Where a record came from: one entry of one partition of one input stream.
     *
     * @param stream    logical stream name, e.g. {@code market.tick.price}
     * @param partition partition number, 0-based
     * @param entryId   Redis stream entry id, e.g. {@code 1700000000000-0}
     * @param fields    the raw entry fields, kept so a failing record can be dead-lettered as it arrived
     * @param sequence  position of the entry in its task batch; merges restore input order with it (records of one
     *                  entry: depth first, which the executor keeps beside them)
     */
    public record Origin(String stream, int partition, String entryId, java.util.Map<String, String> fields, int sequence) {
        public Origin {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(entryId, "entryId");
        }
    }
}
