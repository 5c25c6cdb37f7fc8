package io.quantumtrader.streams.runtime;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids a task has processed within the dedupe window (DESIGN §2 "Hostile input": idempotent ingest), kept in
 * memory, bounded by the window and a count. Loaded from the task's dedupe set in Redis when the task starts; ids of
 * each batch join it as the batch is processed and are written to Redis by the batch's commit, so what the cache
 * says after a restart is exactly what was committed.
 */
final class DedupeCache {

    private final long windowMs;
    private final long maxIds;
    private final LinkedHashMap<String, Long> arrivals = new LinkedHashMap<>();
    private long newestArrival = Long.MIN_VALUE;

    /**
     * @param windowMs how long an id is remembered after its arrival, ms
     * @param maxIds   most ids remembered; 0 disables deduplication
     */
    DedupeCache(long windowMs, long maxIds) {
        this.windowMs = windowMs;
        this.maxIds = maxIds;
    }

    /** @return false when deduplication is off ({@code maxIds} 0) */
    boolean enabled() {
        return maxIds > 0;
    }

    /** Adds ids read back from Redis (in any order). */
    void load(Map<String, Long> ids) {
        ids.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> add(e.getKey(), e.getValue()));
    }

    /** @return true when {@code eventId} was processed within the window */
    boolean contains(String eventId) {
        return arrivals.containsKey(eventId);
    }

    /** Remembers an id that arrived at {@code arrivalMs}, forgetting what fell out of the window or the bound. */
    void add(String eventId, long arrivalMs) {
        if (!enabled()) {
            return;
        }
        arrivals.put(eventId, arrivalMs);
        newestArrival = Math.max(newestArrival, arrivalMs);
        long floor = floorMs();
        Iterator<Map.Entry<String, Long>> it = arrivals.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (arrivals.size() > maxIds || e.getValue() < floor) {
                it.remove();
            } else {
                break;
            }
        }
    }

    /** @return arrivals before this epoch ms are forgotten; {@code Long.MIN_VALUE} before anything arrived */
    long floorMs() {
        return newestArrival == Long.MIN_VALUE ? Long.MIN_VALUE : newestArrival - windowMs;
    }

    /** @return ids remembered now */
    int size() {
        return arrivals.size();
    }
}
