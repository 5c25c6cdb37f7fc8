package io.quantumtrader.streams.state;

/**
 * Where a state store puts the writes of a batch (the runtime's commit; the changelog of Kafka Streams' stores):
 * field sets and deletes on the Redis Hash that holds one store partition.
 */
public interface StateWrites {

    /** Sets {@code field} of the hash {@code hashKey} to {@code value} (HSET). */
    void put(String hashKey, String field, String value);

    /** Deletes {@code field} of the hash {@code hashKey} (HDEL). */
    void delete(String hashKey, String field);
}
