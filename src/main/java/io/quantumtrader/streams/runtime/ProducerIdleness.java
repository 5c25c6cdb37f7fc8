package io.quantumtrader.streams.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Producer idleness for event-time alignment (Flink's source idleness, per producer): with an idle timeout configured,
 * a producer task whose watermark has not moved for that long (wall clock) — or an expected producer that has not
 * published one in that time — is left out of its input's watermark until it moves again. A producer that has ended
 * (watermark {@link Long#MAX_VALUE}) is never idle: it stands still because nothing more will come. Without it, a live
 * deployment whose external feed publishes no watermarks would hold a merged input forever behind a producer task that
 * gets no records (a market partition no symbol hashes to). A replay sets no timeout: nothing is left out, and the
 * order depends on the data only.
 * <p>
 * Not thread-safe: a task uses it from its one processing pipeline.
 */
final class ProducerIdleness {

    private final Duration timeout;
    private final LongSupplier nowMs;
    /** producer → {last watermark value seen, wall-clock ms when it last changed (or was first looked for)} */
    private final Map<String, long[]> seen = new HashMap<>();

    /**
     * @param timeout null: never idle
     * @param nowMs   wall clock, epoch ms
     */
    ProducerIdleness(Duration timeout, LongSupplier nowMs) {
        this.timeout = timeout;
        this.nowMs = nowMs;
    }

    /** What an input's watermark is computed from: its active producers' watermarks and the expected ones still awaited. */
    record Active(Map<String, String> producers, List<String> expected) {
    }

    /**
     * @param producers producer → watermark as read from the input's watermark hash
     * @param expected  producer tasks the topology has for the input
     * @return the producers and expected producers that are not idle
     */
    Active active(Map<String, String> producers, Collection<String> expected) {
        if (timeout == null) {
            return new Active(producers, List.copyOf(expected));
        }
        long now = nowMs.getAsLong();
        Map<String, String> active = new LinkedHashMap<>();
        producers.forEach((producer, value) -> {
            long v = parse(value);
            long[] s = seen.get(producer);
            if (s == null || s[0] != v) {
                seen.put(producer, new long[]{v, now});
                active.put(producer, value);
            } else if (v == Long.MAX_VALUE || now - s[1] < timeout.toMillis()) {
                // an ended producer stands still because nothing more comes: that is what its readers need to know.
                // Left out as idle, a task that took longer than the timeout to process its inputs after their end
                // saw no watermark at all and never passed its own end on (EndedProducerIdlenessTest, 2026-12-06)
                active.put(producer, value);
            }
        });
        List<String> awaited = expected.stream().filter(p -> {
            if (producers.containsKey(p)) {
                return active.containsKey(p);   // published: awaited while not idle
            }
            long[] s = seen.computeIfAbsent(p, x -> new long[]{Long.MIN_VALUE, now});
            return now - s[1] < timeout.toMillis();
        }).toList();
        return new Active(active, awaited);
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE + 1;
        }
    }
}
