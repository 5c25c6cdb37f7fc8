package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.record.CloudEventJson;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decodes an entry's fields as Redis sent them (field, value, … in the entry's order, bytes) into a field map, and
 * says what makes the entry no valid envelope whatever its content: a field twice (Redis keeps both; a map keeps one)
 * or bytes that are not UTF-8 (a decoder puts U+FFFD where they were). The consumer group's reader
 * ({@link PartitionReader}) and a global table's replica decode the same way, so both refuse such an entry with the same
 * reason ({@code invalid_envelope}) and message.
 */
public final class RawEntryFields {

    private RawEntryFields() {
    }

    /**
     * @param fields the entry's fields (the first of a field given twice, for the dead letter); a structured-mode entry
     *               is expanded into flat fields ({@link CloudEventJson#flattenIfValid}) when it has no defect
     * @param defect what makes it no valid envelope ("field 'data' appears twice in the entry", "field 'data' is not
     *               valid UTF-8"), null when nothing does
     */
    public record Decoded(Map<String, String> fields, String defect) {
    }

    /** {@link #decode(List, Function)} with field names decoded as new strings. */
    public static Decoded decode(List<byte[]> fieldsAndValues) {
        return decode(fieldsAndValues, n -> new String(n, StandardCharsets.UTF_8));
    }

    /**
     * @param fieldsAndValues field, value, field, value, … (a value may be null)
     * @param names           decodes a field name from its UTF-8 bytes (e.g. interned)
     */
    public static Decoded decode(List<byte[]> fieldsAndValues, Function<byte[], String> names) {
        Map<String, String> fields = new LinkedHashMap<>(Math.max(2, fieldsAndValues.size()));
        String defect = null;
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
            byte[] n = fieldsAndValues.get(i);
            byte[] v = fieldsAndValues.get(i + 1);
            String name = names.apply(n);
            String value = v == null ? null : new String(v, StandardCharsets.UTF_8);
            if (fields.containsKey(name)) {
                defect = defect != null ? defect : "field '" + printable(name) + "' appears twice in the entry";
                continue;   // the first is kept, for the dead letter
            }
            fields.put(name, value);
            if (defect == null && (!PartitionReader.Utf8.valid(n, name) || (v != null && !PartitionReader.Utf8.valid(v, value)))) {
                defect = !PartitionReader.Utf8.valid(n, name) ? "a field name is not valid UTF-8"
                        : "field '" + printable(name) + "' is not valid UTF-8";
            }
        }
        return new Decoded(defect == null ? CloudEventJson.flattenIfValid(fields) : fields, defect);
    }

    /** @return a field name for a message: its first 64 characters, control characters as '?' */
    static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
