package io.quantumtrader.streams.redis;

/**
 * Bounds of a task's dedupe set (the event ids its commits recorded), for one commit.
 *
 * @param key     the sorted set {@code <ns>:{<ns>.<p>}:dedupe:<group>} (event id → arrival time, ms)
 * @param floorMs ids that arrived before this epoch ms are dropped; {@code Long.MIN_VALUE} keeps them
 * @param maxIds  most ids kept (the oldest are dropped first); 0 for no limit
 */
public record DedupeWindow(String key, long floorMs, long maxIds) {
}
