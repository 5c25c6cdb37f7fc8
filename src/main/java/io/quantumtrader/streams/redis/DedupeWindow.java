package io.quantumtrader.streams.redis;

/**
 * Bounds of a task's dedupe log (the event ids its commits recorded, {@link DedupeLog}), for one commit.
 *
 * @param key     the list {@code <ns>:{<ns>.<p>}:dedupe-log:<group>}, one element per commit
 * @param floorMs a commit's ids are dropped once the newest of them arrived before this epoch ms; {@code Long.MIN_VALUE}
 *                keeps them
 * @param maxIds  the log keeps at least this many of the newest ids, dropping whole commits beyond them (the oldest
 *                first); 0 for no limit
 */
public record DedupeWindow(String key, long floorMs, long maxIds) {
}
