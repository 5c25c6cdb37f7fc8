package io.quantumtrader.streams.testing;

/**
 * A record read from a {@link TestOutputStream}.
 *
 * @param key       the envelope subject ({@code null} when absent)
 * @param value     the decoded payload
 * @param timestamp event time, epoch ms
 * @param traceId   the trace id carried from the input
 */
public record TestRecord<V>(String key, V value, long timestamp, String traceId) {
}
