package io.quantumtrader.streams.redis;

import java.util.Map;

/**
 * One entry read from a stream partition by a consumer group.
 *
 * @param stream    logical stream name
 * @param key       Redis key of the partition
 * @param partition partition number
 * @param id        entry id {@code <ms>-<seq>}
 * @param fields    the entry's fields
 */
public record StreamEntry(String stream, String key, int partition, String id, Map<String, String> fields) {

    /**
     * @return the fields of a stream entry read through Spring Data Redis, as strings in their stored order (an entry
     *         deleted while pending has none: empty map)
     */
    public static Map<String, String> fieldsOf(org.springframework.data.redis.connection.stream.MapRecord<String, Object, Object> r) {
        Map<Object, Object> value = r.getValue() == null ? Map.of() : r.getValue();
        Map<String, String> fields = new java.util.LinkedHashMap<>(value.size() * 2);
        value.forEach((k, v) -> fields.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return fields;
    }

    /** Orders entry ids numerically ({@code <ms>-<seq>}), as Redis does. */
    public static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
