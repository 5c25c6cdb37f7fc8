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
 *                    determinism. Must be longer than {@link StreamsConfig#punctuationInterval()} (a holding
 *                    producer's hold mark moves once per punctuation): {@link StreamsRuntime#start()} refuses it
 *                    otherwise. Per producer task see {@code ProducerIdleness}
 * @param maxHeldPerInput records of one input partition the task may hold back (read, not yet processed) before it
 *                    stops reading that input, like Kafka Streams' {@code buffered.records.per.partition} (default
 *                    1,000 there): the task's other inputs are read on (their records or watermarks are what lets the
 *                    held ones go), and reads of the paused input resume once the task holds fewer of its records.
 *                    Entries not read stay in the stream, unread by the group (not pending). Records read before the
 *                    pause took effect are still added: at most this plus two batches ({@code batchSize}) are held per
 *                    input. Not applied to an input written by several producer tasks while a watermark read for it
 *                    waits for entries not yet read ({@link InputAligner#releaseNeedsReadsOf}). Default
 *                    {@value #DEFAULT_MAX_HELD_PER_INPUT} records (five batches of the default {@code batchSize}); at
 *                    least 1
 * @param maxHeldBytesPerInput bytes of one input partition's records the task may hold back before it stops reading
 *                    that input, as {@code maxHeldPerInput} does for their number (Kafka Streams bounds its input
 *                    buffers by bytes too, {@code input.buffer.max.bytes}): an estimate of their heap size, each
 *                    field name and value at two bytes per character plus {@value InputAligner#BYTES_PER_FIELD} bytes
 *                    per field and {@value InputAligner#BYTES_PER_ENTRY} per entry. Reads pause at whichever bound is
 *                    reached first; found in review (2026-12-07): bounded by count alone, 12,000 held entries of 24 KB
 *                    exhausted a 256 MB heap before the 10,000-record bound. Default
 *                    {@value #DEFAULT_MAX_HELD_BYTES_PER_INPUT} bytes (32 MiB); at least 1
 */
public record InputAlignment(boolean enabled, Duration idleTimeout, int maxHeldPerInput, long maxHeldBytesPerInput) {

    /** Default {@link #maxHeldPerInput()}, records. */
    public static final int DEFAULT_MAX_HELD_PER_INPUT = 10_000;

    /** Default {@link #maxHeldBytesPerInput()}, bytes (32 MiB). */
    public static final long DEFAULT_MAX_HELD_BYTES_PER_INPUT = 32L * 1024 * 1024;

    /**
     * @throws IllegalArgumentException when {@code idleTimeout} is negative, {@code maxHeldPerInput} or
     *                                  {@code maxHeldBytesPerInput} below 1
     */
    public InputAlignment {
        if (idleTimeout != null && idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
        }
        if (maxHeldPerInput < 1) {
            throw new IllegalArgumentException("maxHeldPerInput must be at least 1 record, was " + maxHeldPerInput);
        }
        if (maxHeldBytesPerInput < 1) {
            throw new IllegalArgumentException("maxHeldBytesPerInput must be at least 1 byte, was " + maxHeldBytesPerInput);
        }
    }

    /** Settings with the default {@link #maxHeldBytesPerInput()}. */
    public InputAlignment(boolean enabled, Duration idleTimeout, int maxHeldPerInput) {
        this(enabled, idleTimeout, maxHeldPerInput, DEFAULT_MAX_HELD_BYTES_PER_INPUT);
    }

    /** Settings with the default {@link #maxHeldPerInput()} and {@link #maxHeldBytesPerInput()}. */
    public InputAlignment(boolean enabled, Duration idleTimeout) {
        this(enabled, idleTimeout, DEFAULT_MAX_HELD_PER_INPUT);
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
        return new InputAlignment(enabled, v, maxHeldPerInput, maxHeldBytesPerInput);
    }

    /**
     * @param records see {@link #maxHeldPerInput()}
     * @return these settings with another bound on the records held per input
     * @throws IllegalArgumentException when {@code records} is below 1
     */
    public InputAlignment withMaxHeldPerInput(int records) {
        return new InputAlignment(enabled, idleTimeout, records, maxHeldBytesPerInput);
    }

    /**
     * @param bytes see {@link #maxHeldBytesPerInput()}
     * @return these settings with another bound on the bytes held per input
     * @throws IllegalArgumentException when {@code bytes} is below 1
     */
    public InputAlignment withMaxHeldBytesPerInput(long bytes) {
        return new InputAlignment(enabled, idleTimeout, maxHeldPerInput, bytes);
    }
}
