package io.quantumtrader.streams.runtime;

import java.time.Duration;

/**
 * Event-time alignment of a task's inputs (DESIGN §2 "Event time across inputs"; docs/OPERATIONS.md "Event-time
 * alignment"). When enabled, every task publishes with its commits a watermark (its committed stream time, epoch ms)
 * for each partition of each stream it writes to, and a task with several input streams processes their records in
 * event-time order, holding a record at time T until every other input has a buffered record at or after T, a
 * watermark ≥ T, or has been idle for {@code idleTimeout}.
 *
 * @param enabled     publish watermarks and align multi-input tasks; default false (opt-in: a task whose input has
 *                    no producer publishing watermarks would wait for it, see {@code idleTimeout})
 * @param idleTimeout an input with no buffered record and no new entry for this long (wall clock) no longer holds the
 *                    others back, like Kafka Streams' {@code max.task.idle.ms} and Flink's source idleness; null
 *                    (the default) never: the order then depends on the data only, which a replay needs for
 *                    determinism
 */
public record InputAlignment(boolean enabled, Duration idleTimeout) {

    public InputAlignment {
        if (idleTimeout != null && idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
        }
    }

    /** @return alignment off (each task processes its inputs in arrival order) */
    public static InputAlignment disabled() {
        return new InputAlignment(false, null);
    }

    /** @return alignment on, no idleness: deterministic whatever the publishing speed */
    public static InputAlignment byWatermarks() {
        return new InputAlignment(true, null);
    }

    /** @return these settings with an idle timeout (null: never) */
    public InputAlignment withIdleTimeout(Duration v) {
        return new InputAlignment(enabled, v);
    }
}
