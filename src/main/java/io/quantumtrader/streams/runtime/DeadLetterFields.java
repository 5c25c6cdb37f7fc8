package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a dead-letter entry (DESIGN §5): the input entry as it arrived plus {@code error.*} fields, the
 * engine's own (an input field named {@code error.*} is copied as {@code input.error.*}). Shared by the Redis runtime
 * and the test driver.
 */
public final class DeadLetterFields {

    /** Longest value copied into a dead letter, characters; a longer one keeps its first characters and a marker. */
    public static final int MAX_VALUE_CHARS = 1024;
    /** Most fields of the input entry copied into a dead letter. */
    public static final int MAX_FIELDS = 32;
    /** The prefix of the engine's own fields of a dead letter. */
    public static final String ERROR_PREFIX = "error.";
    /** What an input field named {@code error.*} is copied under ({@code input.error.reason}): never the engine's own. */
    public static final String INPUT_PREFIX = "input.";

    private DeadLetterFields() {
    }

    /**
     * @return {@code value} cut to its first {@link #MAX_VALUE_CHARS} characters, with a note of its full length, so
     *         a hostile entry is never copied whole into the dead-letter stream
     */
    public static String clip(String value) {
        if (value == null || value.length() <= MAX_VALUE_CHARS) {
            return value;
        }
        return value.substring(0, MAX_VALUE_CHARS) + "…[truncated, " + value.length() + " characters]";
    }

    /** @return {@code String.valueOf(o)}, or a note when its {@code toString()} throws (the dead letter is written anyway) */
    static String text(Object o) {
        try {
            return String.valueOf(o);
        } catch (RuntimeException e) {
            return "(a " + o.getClass().getName() + " whose toString() throws " + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * @param record   the failing record; its origin's raw fields are kept, or (without origin) its key and value;
     *                 with an origin and a value, also the record itself as {@code error.record.subject},
     *                 {@code error.record.time} and {@code error.record.value} (cut as {@link #clip}): the record
     *                 that failed need not be the input (a window's final result, a flatMap's output), and two
     *                 different records failing on one input entry get a dead letter each
     * @param node     the node that failed
     * @param attempts how many times the node was tried
     * @param taskId   the task, {@code <sub-topology>_<partition>}
     * @return fields for {@code <stream>.dlq} (or {@code <application-id>.<node>.dlq} without origin)
     */
    public static Map<String, String> of(Record<?, ?> record, String node, Throwable error, int attempts, String taskId) {
        return of(record, node, error, attempts, taskId, null);
    }

    /**
     * As {@link #of(Record, String, Throwable, int, String)}; an input entry within {@code limits}' size
     * ({@link IngestLimits#maxEntryBytes()}) is copied whole, so that its dead letter can be replayed: only a larger one
     * (or, without limits, every value) is cut as {@link #clip}. Until 2026-12-07 every field was cut at
     * {@value #MAX_VALUE_CHARS} characters, and a 2 KB tick refused as {@code wrong_partition} lost its data (found in
     * review).
     *
     * @param limits the ingest limits the entry was read under, or null
     */
    public static Map<String, String> of(Record<?, ?> record, String node, Throwable error, int attempts, String taskId,
                                         IngestLimits limits) {
        Record.Origin origin = record.origin();
        Map<String, String> fields = new LinkedHashMap<>();
        if (origin != null) {
            boolean whole = limits != null && origin.fields().size() <= MAX_FIELDS
                    && limits.entryBytes(origin.fields()) <= limits.maxEntryBytes();
            int copied = 0;
            for (Map.Entry<String, String> f : origin.fields().entrySet()) {
                if (copied++ == MAX_FIELDS) {
                    fields.put("error.fields_omitted", Integer.toString(origin.fields().size() - MAX_FIELDS));
                    break;
                }
                fields.put(whole ? inputFieldName(f.getKey()) : clip(inputFieldName(f.getKey())),
                        whole ? f.getValue() : clip(f.getValue()));
            }
        } else {
            fields.put("subject", clip(text(record.key())));
            fields.put("time", Instant.ofEpochMilli(record.timestamp()).toString());
            fields.put("traceid", String.valueOf(record.traceId()));
            fields.put("value", clip(text(record.value())));
        }
        if (origin != null && record.value() != null) {
            // the record that failed, which need not be the input: a window's final result, a flatMap's output
            fields.put("error.record.subject", clip(text(record.key())));
            fields.put("error.record.time", Instant.ofEpochMilli(record.timestamp()).toString());
            fields.put("error.record.value", clip(text(record.value())));
        }
        Throwable named = error instanceof io.quantumtrader.streams.dsl.internals.RecordFailedWithError e ? e.error() : error;
        fields.put("error.class", named.getClass().getName());
        fields.put("error.message", clip(String.valueOf(named.getMessage())));
        if (error instanceof RejectedEntryException rejected) {
            fields.put("error.reason", rejected.reason().tag());
        }
        fields.put("error.stage", node);
        if (origin != null) {
            fields.put("error.stream", origin.stream());
            fields.put("error.partition", Integer.toString(origin.partition()));
            fields.put("error.source_id", origin.entryId());
        }
        fields.put("error.attempt", Integer.toString(attempts));
        fields.put("error.task", taskId);
        return fields;
    }

    /**
     * @return the name an input entry's field is copied under: its own, or {@value #INPUT_PREFIX} before it when it
     *         starts with {@code error.}, the engine's prefix: an input field {@code error.reason} (an entry put back
     *         from a dead-letter stream by hand) was taken for the engine's own, and a processor failure was then
     *         reported under the input's refusal reason (review 2026-12-06)
     */
    static String inputFieldName(String name) {
        return name != null && name.startsWith(ERROR_PREFIX) ? INPUT_PREFIX + name : name;
    }

    /** @return the dead-letter stream for a failing record */
    public static String streamFor(Record<?, ?> record, String applicationId, String node) {
        return record.origin() != null ? record.origin().stream() + ".dlq" : applicationId + "." + node + ".dlq";
    }
}
