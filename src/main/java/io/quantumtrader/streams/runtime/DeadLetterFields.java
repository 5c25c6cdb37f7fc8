package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a dead-letter entry (DESIGN §5): the input entry as it arrived plus {@code error.*} fields.
 * Shared by the Redis runtime and the test driver.
 */
public final class DeadLetterFields {

    private DeadLetterFields() {
    }

    /**
     * @param record   the failing record; its origin's raw fields are kept, or (without origin) its key and value
     * @param node     the node that failed
     * @param attempts how many times the node was tried
     * @param taskId   the task, {@code <sub-topology>_<partition>}
     * @return fields for {@code <stream>.dlq} (or {@code <application-id>.<node>.dlq} without origin)
     */
    public static Map<String, String> of(Record<?, ?> record, String node, Throwable error, int attempts, String taskId) {
        Record.Origin origin = record.origin();
        Map<String, String> fields = new LinkedHashMap<>();
        if (origin != null) {
            fields.putAll(origin.fields());
        } else {
            fields.put("subject", String.valueOf(record.key()));
            fields.put("time", Instant.ofEpochMilli(record.timestamp()).toString());
            fields.put("traceid", String.valueOf(record.traceId()));
            fields.put("value", String.valueOf(record.value()));
        }
        fields.put("error.class", error.getClass().getName());
        fields.put("error.message", String.valueOf(error.getMessage()));
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

    /** @return the dead-letter stream for a failing record */
    public static String streamFor(Record<?, ?> record, String applicationId, String node) {
        return record.origin() != null ? record.origin().stream() + ".dlq" : applicationId + "." + node + ".dlq";
    }
}
