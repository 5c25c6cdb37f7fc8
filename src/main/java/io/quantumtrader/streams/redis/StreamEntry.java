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

    /** Orders entry ids numerically ({@code <ms>-<seq>}), as Redis does. */
    public static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }
}
