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
 * @param defect    what makes the entry's bytes no entry of ours, found as they were read: a field twice (Redis keeps
 *                  both; {@code fields} has the first), a name or value that is not UTF-8 ({@code fields} has it with
 *                  U+FFFD); null when none. The source refuses such an entry (an invalid envelope)
 */
public record StreamEntry(String stream, String key, int partition, String id, Map<String, String> fields, String defect) {

    /** An entry without a defect. */
    public StreamEntry(String stream, String key, int partition, String id, Map<String, String> fields) {
        this(stream, key, partition, id, fields, null);
    }

    /**
     * @return the fields of a stream entry read through Spring Data Redis, as strings in their stored order (an entry
     *         deleted while pending has none: empty map); an entry in structured mode expanded into flat fields
     *         ({@link io.quantumtrader.streams.record.CloudEventJson#flattenIfValid})
     */
    public static Map<String, String> fieldsOf(org.springframework.data.redis.connection.stream.MapRecord<String, Object, Object> r) {
        Map<Object, Object> value = r.getValue() == null ? Map.of() : r.getValue();
        Map<String, String> fields = new java.util.LinkedHashMap<>(value.size() * 2);
        value.forEach((k, v) -> fields.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return io.quantumtrader.streams.record.CloudEventJson.flattenIfValid(fields);
    }

    /**
     * Orders entry ids numerically ({@code <ms>-<seq>}, each an unsigned 64-bit decimal), as Redis does. Compares the
     * digits in place: it runs for every entry a task reads (ordering a batch across streams, the aligner's last id,
     * committed offsets), and parsing each half with {@code Long.parseLong(substring)} was ~6 % of the replay's task
     * CPU (JFR, docs/BENCHMARKS.md 2026-12-04). Only the characters the order depends on are read (ids come from
     * Redis), so a malformed id is refused when its malformed part decides the order.
     *
     * @throws IllegalArgumentException when an id has no {@code -} between two non-empty parts, or a character the order
     *                                  depends on is not a digit
     */
    public static int compareIds(String a, String b) {
        int da = dash(a);
        int db = dash(b);
        int c = compareDigits(a, 0, da, b, 0, db);
        return c != 0 ? c : compareDigits(a, da + 1, a.length(), b, db + 1, b.length());
    }

    /**
     * @return the milliseconds part of an entry id {@code <ms>-<seq>}: when Redis added the entry (epoch ms, unless the
     *         writer chose the id), parsed in place without a substring (it runs for every entry a task accepts)
     * @throws IllegalArgumentException when the id has no {@code -} between two non-empty parts, or its first part is
     *                                  not a decimal that fits a signed 64-bit {@code long}
     */
    public static long millisOf(String id) {
        int d = dash(id);
        digit(id, 0);   // Long.parseLong would take a sign
        try {
            return Long.parseLong(id, 0, d, 10);
        } catch (NumberFormatException e) {
            throw notAnId(id);
        }
    }

    /**
     * The arrival of an entry for the dedupe window: the milliseconds part of its id, but never later than
     * {@code nowMs}. A writer may choose the id ({@code XADD key 9999999999999-0 ...}, or anything up to 2^64-1 ms,
     * which Redis takes: its ids are unsigned 64-bit), and every id Redis makes after it on that stream is as large. Read
     * as it is, one such entry moved the dedupe window centuries on, so every event id seen before was forgotten (a
     * producer's retry was processed twice), and one beyond the signed range made {@link #millisOf} throw, so the task
     * failed and restarted on the same entry forever (review of 2026-12-06, HostileEntryTest).
     *
     * @param nowMs the wall clock, epoch ms
     * @return epoch ms, at most {@code nowMs}
     * @throws IllegalArgumentException when the id has no {@code -} between two non-empty parts, or its first part is
     *                                  not a decimal
     */
    public static long arrivalMillis(String id, long nowMs) {
        long ms;
        try {
            ms = millisOf(id);
        } catch (IllegalArgumentException e) {
            int d = dash(id);
            for (int i = 0; i < d; i++) {
                digit(id, i);
            }
            return nowMs;   // a decimal beyond 2^63-1 ms: some 292 million years ahead
        }
        return Math.min(ms, nowMs);
    }

    private static int dash(String id) {
        int d = id.indexOf('-');
        if (d <= 0 || d == id.length() - 1) {
            throw notAnId(id);
        }
        return d;
    }

    private static IllegalArgumentException notAnId(String id) {
        return new IllegalArgumentException("not a stream entry id (<ms>-<seq>): '" + id + "'");
    }

    /** Compares two unsigned decimals given as {@code [from, to)} ranges: leading zeros skipped, then length, then digits. */
    private static int compareDigits(String a, int fromA, int toA, String b, int fromB, int toB) {
        fromA = skipZeros(a, fromA, toA);
        fromB = skipZeros(b, fromB, toB);
        int c = Integer.compare(toA - fromA, toB - fromB);
        for (int i = 0; c == 0 && i < toA - fromA; i++) {
            c = Character.compare(digit(a, fromA + i), digit(b, fromB + i));
        }
        return c;
    }

    private static int skipZeros(String s, int from, int to) {
        while (from < to - 1 && s.charAt(from) == '0') {
            from++;
        }
        return from;
    }

    private static char digit(String s, int i) {
        char ch = s.charAt(i);
        if (ch < '0' || ch > '9') {
            throw notAnId(s);
        }
        return ch;
    }
}
