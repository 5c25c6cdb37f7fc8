package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.Serde;
import io.quantumtrader.streams.redis.Partitioner;

import java.time.Instant;
import java.util.Map;
import java.util.function.ToIntFunction;

import static io.quantumtrader.streams.runtime.RejectedEntryException.Reason;

/**
 * Checks an input entry at its source node before it becomes a record (DESIGN §2 "Hostile input"): size, envelope
 * (with an event id that is not empty, valid UTF-8 and at most {@link IngestLimits#MAX_EVENT_ID_CHARS} long, and a source of at most {@link IngestLimits#MAX_EVENT_SOURCE_CHARS}), type of the stream in a version this build reads ({@code <stream>.v1}), subject well-formed and on the right
 * partition, data present, event time not ahead of the wall clock by more than the allowed skew, and the value
 * decodable (the value type's own constructor checks its domain). Whatever fails is refused with a
 * {@link RejectedEntryException} naming the reason; a refused entry never becomes a record, so it never moves stream
 * time.
 */
public final class IngestGuard {

    /** The only version of every stream's event type that this build reads. */
    public static final String VERSION = Envelope.TYPE_VERSION;

    private final IngestLimits limits;
    private final ToIntFunction<String> partitionsOf;

    /**
     * @param partitionsOf partition count of a stream (the stream catalog)
     */
    public IngestGuard(IngestLimits limits, ToIntFunction<String> partitionsOf) {
        this(limits, partitionsOf, java.util.Set.of());
    }

    /**
     * @param partitionedByValue streams whose writer picks the partition by something other than the subject (a
     *                           {@link io.quantumtrader.streams.dsl.EventStream#repartition} by value): no
     *                           wrong-partition check on them
     */
    public IngestGuard(IngestLimits limits, ToIntFunction<String> partitionsOf, java.util.Set<String> partitionedByValue) {
        this(limits, partitionsOf, partitionedByValue, java.util.Set.of());
    }

    /**
     * @param partitionedByValue as above
     * @param windowedKeys       streams a windowed table's {@code to()} writes ({@code Topology#windowedKeyStreams}),
     *                           each window of a key in the key's partition: only there a subject
     *                           {@code [key@start/end]} is also accepted in {@code key}'s partition
     */
    public IngestGuard(IngestLimits limits, ToIntFunction<String> partitionsOf, java.util.Set<String> partitionedByValue,
                       java.util.Set<String> windowedKeys) {
        this.limits = limits;
        this.partitionsOf = partitionsOf;
        this.partitionedByValue = partitionedByValue;
        this.windowedKeys = windowedKeys;
    }

    private final java.util.Set<String> partitionedByValue;
    private final java.util.Set<String> windowedKeys;

    /**
     * @return whether {@code subject} is a windowed key ({@code [key@start/end]}) whose key belongs to
     *         {@code partition}: a windowed table's sink writes a windowed record to its key's partition, as Kafka
     *         Streams' {@code WindowedStreamPartitioner} (review of 2026-12-06: before, each window of a key went to
     *         the partition of the window's text, so the key's windows were spread over partitions, out of order).
     *         Asked only for the streams such a sink writes ({@link #windowedKeys}): on any other stream
     *         {@code [BTC@1/2]} was accepted on two partitions, its text's and BTC's (review of 2026-12-06). Such a
     *         subject is still accepted where its text hashes too (entries written before, a plain key that looks
     *         windowed)
     */
    private static boolean inItsKeysPartition(String subject, int partitions, int partition) {
        String key = io.quantumtrader.streams.dsl.Windowed.keyOf(subject);
        return key != null && Partitioner.partition(key, partitions) == partition;
    }

    /**
     * The partition rule of {@link #check}: an entry whose subject hashes to another partition than the one it was read
     * from is refused, except on a stream partitioned by value ({@link #partitionedByValue}), and for a windowed key
     * ({@code [key@start/end]}) in its key's partition on a stream a windowed table's sink writes ({@link #windowedKeys}).
     * An entry without a subject is not checked here.
     *
     * @param partition the partition the entry was read from
     * @throws RejectedEntryException {@link Reason#WRONG_PARTITION}
     */
    public void checkPartition(String stream, int partition, String subject) {
        if (subject != null && !partitionedByValue.contains(stream)) {
            int partitions = partitionsOf.applyAsInt(stream);
            int expectedPartition = Partitioner.partition(subject, partitions);
            if (expectedPartition != partition
                    && !(windowedKeys.contains(stream) && inItsKeysPartition(subject, partitions, partition))) {
                throw new RejectedEntryException(Reason.WRONG_PARTITION, "subject '" + subject + "' belongs to partition "
                        + expectedPartition + " of " + partitions + ", not " + partition, null);
            }
        }
    }

    /** A checked, decoded entry. */
    public record Accepted(Envelope envelope, Object value) {
    }

    /**
     * @param stream    the logical stream the entry was read from
     * @param partition the partition it was read from
     * @param fields    the raw entry
     * @param valueSerde decodes {@code data}
     * @param tombstones true for a table's source: {@code data} null is a tombstone (deletes the key), not refused
     * @param nowMs     the wall clock, epoch ms
     * @throws RejectedEntryException when the entry must be dead-lettered
     */
    public Accepted check(String stream, int partition, Map<String, String> fields, Serde<?> valueSerde,
                          boolean tombstones, long nowMs) {
        return check(stream, partition, fields, valueSerde, tombstones, nowMs, null);
    }

    /**
     * As {@link #check(String, int, Map, Serde, boolean, long)}, and the value must name the entry's subject.
     *
     * @param subjectOf where a value names its own subject ({@code EventStream.requireSubject}), or null: a value
     *                  whose subject differs from the entry's is refused ({@link Reason#INVALID_VALUE})
     */
    public Accepted check(String stream, int partition, Map<String, String> fields, Serde<?> valueSerde,
                          boolean tombstones, long nowMs, java.util.function.Function<Object, String> subjectOf) {
        return check(stream, partition, fields, valueSerde, tombstones, nowMs, subjectOf, null);
    }

    /**
     * As {@link #check(String, int, Map, Serde, boolean, long, java.util.function.Function)}, with the source's
     * {@code requireEventTime}: an entry whose value carries another event time than its envelope is refused
     * ({@code invalid_value}).
     *
     * @param eventTimeOf where the source's values carry their own event time (epoch ms), or null
     */
    public Accepted check(String stream, int partition, Map<String, String> fields, Serde<?> valueSerde,
                          boolean tombstones, long nowMs, java.util.function.Function<Object, String> subjectOf,
                          java.util.function.ToLongFunction<Object> eventTimeOf) {
        Envelope env = checkEnvelope(stream, fields);
        String subject = env.subject();
        checkPartition(stream, partition, subject);
        boolean nullData = isNullData(env.data());
        if (nullData && !(tombstones && subject != null)) {
            // a table's tombstone written with toStream().to(...) lands here too: Kafka Streams gives the KStream a
            // null value; here a stream source refuses it (documented at KeyedTable#toStream; review of 2026-12-06)
            throw new RejectedEntryException(Reason.NULL_DATA, tombstones ? "a tombstone ('data' null) needs a subject"
                    : subject != null ? "attribute 'data' is null: a stream source refuses tombstones (a table's "
                    + "toStream().to(...) writes them for deleted keys); map them to an explicit value before to(...)"
                    : "attribute 'data' is null", null);
        }
        long time = env.time().toEpochMilli();
        if (time < 0) {
            // Kafka Streams' default timestamp extractor refuses negative times too; accepted, a window dropped the
            // record as negative_timestamp with no dead letter to inspect or replay (found in review, 2026-12-07)
            throw new RejectedEntryException(Reason.INVALID_ENVELOPE, "event time " + env.time() + " is before 1970 "
                    + "(negative epoch ms): stream time and windows take times from 1970 on", null);
        }
        if (time > nowMs + limits.maxEventTimeSkew().toMillis()) {
            throw new RejectedEntryException(Reason.FUTURE_EVENT_TIME, "event time " + env.time() + " is more than "
                    + limits.maxEventTimeSkew().toSeconds() + " s ahead of the wall clock (" + Instant.ofEpochMilli(nowMs)
                    + "); it would move stream time and make valid records late", null);
        }
        if (nullData) {
            return new Accepted(env, null); // a tombstone of a table
        }
        Object value;
        try {
            value = valueSerde.deserialize(env.data());
        } catch (RuntimeException e) {
            throw new RejectedEntryException(Reason.INVALID_VALUE, message(e), e);
        }
        if (value == null) {
            throw new RejectedEntryException(Reason.NULL_DATA, "attribute 'data' decodes to null", null);
        }
        if (subjectOf != null) {
            String named;
            try {
                named = subjectOf.apply(value);
            } catch (RuntimeException e) {   // the user's function, on a hostile value: refused, never a task failure
                throw new RejectedEntryException(Reason.INVALID_VALUE, "the value's subject cannot be read: " + message(e), e);
            }
            String shown = named == null ? "null" : printable(named);
            if (subject == null) {
                // a keyless entry of a source whose values name their subject: accepted, it failed a stage needing a key
                // through every retry while its partition waited, and its event id kept the producer's corrected resend
                // out as a duplicate (found in review, 2026-12-07)
                throw new RejectedEntryException(Reason.BAD_SUBJECT, "the entry has no subject; the value names '" + shown
                        + "'", null);
            }
            if (!subject.equals(named)) {
                throw new RejectedEntryException(Reason.INVALID_VALUE, "the value names subject '" + shown
                        + "' but the entry's subject is '" + printable(subject) + "'", null);
            }
        }
        if (eventTimeOf != null) {
            long carried;
            try {
                carried = eventTimeOf.applyAsLong(value);
            } catch (RuntimeException e) {
                throw new RejectedEntryException(Reason.INVALID_VALUE, "the value's event time cannot be read: " + message(e), e);
            }
            if (carried != time) {
                throw new RejectedEntryException(Reason.INVALID_VALUE, "the value carries event time " + carried + " ("
                        + Instant.ofEpochMilli(carried) + ") but the entry's is " + env.time(), null);
            }
        }
        return new Accepted(env, value);
    }

    /**
     * The checks of {@link #check} that an entry of a global table's stream must pass too: size, envelope, event id,
     * type and subject. Not the partition (a replica reads every partition) nor the event time (a table's value moves
     * no stream time). Before (review of 2026-12-06) a replica applied any entry it could decode: one of another
     * version or stream replaced the key's value.
     *
     * @return the entry's envelope
     * @throws RejectedEntryException naming the reason, when a replica must skip the entry
     */
    public Envelope checkEnvelope(String stream, Map<String, String> fields) {
        long bytes = sizeOf(fields);
        if (bytes > limits.maxEntryBytes()) {
            throw new RejectedEntryException(Reason.OVERSIZED, "entry of " + bytes + " bytes is larger than the limit of "
                    + limits.maxEntryBytes() + " bytes", null);
        }
        Envelope env;
        try {
            env = Envelope.fromFields(stream, fields); // an absent type is the stream's own
        } catch (RuntimeException e) {
            throw new RejectedEntryException(Reason.INVALID_ENVELOPE, e.getMessage(), e);
        }
        if (env.id().isEmpty()) {   // CloudEvents 1.0, attribute 'id': "MUST be a non-empty string"
            throw new RejectedEntryException(Reason.INVALID_ENVELOPE, "event id is empty", null);
        }
        checkDedupeKeyPart("event id", env.id(), IngestLimits.MAX_EVENT_ID_CHARS);
        checkDedupeKeyPart("event source", env.source(), IngestLimits.MAX_EVENT_SOURCE_CHARS);
        checkLength("trace id (traceid)", env.traceId(), IngestLimits.MAX_TRACE_ID_CHARS);
        checkLength("idempotency key (idempotencykey)", env.idempotencyKey(), IngestLimits.MAX_TRACE_ID_CHARS);
        String expected = Envelope.typeOf(stream);
        if (!expected.equals(env.type())) {
            boolean ours = env.type().startsWith(stream + ".v");
            throw new RejectedEntryException(ours ? Reason.UNSUPPORTED_VERSION : Reason.WRONG_TYPE, ours
                    ? "event type '" + printable(env.type()) + "' is a version this build does not read (expected " + expected + ")"
                    : "event type '" + printable(env.type()) + "' does not belong to stream '" + stream + "' (expected " + expected + ")", null);
        }
        if (env.subject() != null) {
            checkSubject(env.subject());
        }
        return env;
    }

    /**
     * The event id and source key the dedupe window (with the stream): each must be the same after a round trip
     * through Redis, and small enough for the window to remember {@link IngestLimits#dedupeMaxIds()} of them. Before
     * (review of 2026-12-06) an empty id, or two ids that differ only in bytes that are not UTF-8 (both read as
     * U+FFFD), made the second of two different events a "duplicate" of the first, and ids of up to the entry limit
     * were remembered (200,000 of 60,000 characters: 12 GB of heap, loaded again at every start). The source, part of
     * the key since, gets the same checks.
     *
     * @param what     "event id" or "event source", for the message
     * @param maxChars the longest value accepted
     */
    private static void checkDedupeKeyPart(String what, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw new RejectedEntryException(Reason.INVALID_ENVELOPE, what + " of " + value.length()
                    + " characters is longer than " + maxChars, null);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\uFFFD') {
                throw new RejectedEntryException(Reason.INVALID_ENVELOPE, what + " is not valid UTF-8", null);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))) {   // written as UTF-8 it would come back as '?'
                throw new RejectedEntryException(Reason.INVALID_ENVELOPE, what + " has an unpaired UTF-16 surrogate at position " + i, null);
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
    }

    /** Refuses an attribute carried into every output longer than {@code maxChars}. */
    private static void checkLength(String what, String value, int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw new RejectedEntryException(Reason.INVALID_ENVELOPE, what + " of " + value.length()
                    + " characters is longer than " + maxChars, null);
        }
    }

    private void checkSubject(String subject) {
        String problem = limits.subjectProblem(subject);
        if (problem != null) {
            throw new RejectedEntryException(Reason.BAD_SUBJECT, problem, null);
        }
    }

    /** @return the entry's size in UTF-8 bytes (names and values), computed exactly only when it may be near the limit */
    private long sizeOf(Map<String, String> fields) {
        return limits.entryBytes(fields);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /**
     * @return whether an entry's {@code data} carries no value: blank or JSON {@code null} (a table's tombstone, with a
     *         subject; docs/OPERATIONS.md {@code null_data})
     */
    static boolean isNullData(String data) {
        return data.isBlank() || "null".equals(data.strip());
    }
}
