package io.quantumtrader.streams.redis;

import java.time.Duration;

/**
 * One stream of the catalog ({@code topology/streams.yaml}).
 *
 * @param name       logical stream name
 * @param key        what the record key is (documentation, e.g. {@code symbol}); may be {@code null}
 * @param partitions partition count, at least 1
 * @param maxLen     approximate MAXLEN applied on every XADD ({@code XADD MAXLEN ~ n}); 0 = no length cap
 * @param retention  entries older than this are trimmed by {@code XTRIM MINID ~}; {@code null} = kept forever
 */
public record StreamSpec(String name, String key, int partitions, long maxLen, Duration retention) {
    public StreamSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("stream '" + name + "': partitions must be at least 1, was " + partitions);
        }
        if (maxLen < 0) {
            throw new IllegalArgumentException("stream '" + name + "': maxlen must be 0 (none) or positive, was " + maxLen);
        }
    }
}
