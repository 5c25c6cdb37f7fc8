package io.quantumtrader.streams.record;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.io.JsonStringEncoder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream entry as one field, {@value #FIELD}, holding the CloudEvent in the CloudEvents JSON event format
 * (structured mode), e.g. {@code {"id":"…","source":"replay","time":"2013-11-25T00:00:13Z","subject":"BTC-USD",
 * "data":{"symbol":"BTC-USD","price":800.05,…}}}: the layout this engine writes (DESIGN §4, README "Stream entries").
 *
 * <p>Why one field: Redis' thread spends per field and value of an entry, not per byte. With the attributes in flat
 * fields (binary mode, 5–6 fields) a record through {@code bench}'s stateless task cost Redis 6.0 µs of CPU (reading
 * it, the commit script's arguments, the output's {@code XADD}), with one field 4.85 µs (medians of eight alternating
 * runs), and the stateless rate rose ~15 %; Lettuce's reply decoding on the client's single I/O thread shrinks too
 * (docs/BENCHMARKS.md, 2026-12-05 01:31 section).
 *
 * <p>Readers take both layouts: {@link #flatten} turns an entry whose only field is {@value #FIELD} into the flat
 * fields of binary mode ({@link Envelope#fromFields(String, Map)}, the ingest guard, the dead-letter queue and the
 * event-time aligner read those), and leaves any other entry as it is (entries written before this layout, by another
 * producer, by hand with redis-cli). The attributes a flat entry may leave out are implied the same way
 * ({@link Envelope}). Attribute values are JSON strings (an integer or boolean extension attribute is read as its
 * text); {@code data} is any JSON value, kept as its JSON text; {@code data_base64} is not read (the engine's values
 * are JSON).
 */
public final class CloudEventJson {

    /** The entry's only field in structured mode. */
    public static final String FIELD = "cloudevent";
    /**
     * A structured entry longer than this (chars) is expanded only by {@link #flatten}, not by
     * {@link #flattenIfValid}: readers expand entries as they read them, before the ingest guard has refused the
     * oversized ones (its limit is 64 KiB by default, {@code IngestLimits}).
     */
    public static final int MAX_EAGER_CHARS = 1 << 20;

    /** {@link JsonSerde#defaultMapper()}'s factory: one configuration (its buffer pool) for the JSON read here. */
    private static final TokenStreamFactory FACTORY = JsonSerde.defaultMapper().tokenStreamFactory();
    private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

    private CloudEventJson() {
    }

    /**
     * @param attributes the CloudEvents attributes as binary mode's flat fields, in the order to write them; a
     *                   {@code data} field must be JSON text (it is written as it is) and is written last
     * @return the entry: {@value #FIELD} → the CloudEvent as one JSON object
     */
    public static Map<String, String> structured(Map<String, String> attributes) {
        String data = attributes.get("data");
        StringBuilder json = new StringBuilder(128 + (data != null ? data.length() : 0));
        json.append('{');
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (a.getValue() == null || "data".equals(a.getKey())) {
                continue;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            appendEscaped(a.getKey(), json);
            json.append("\":\"");
            appendEscaped(a.getValue(), json);
            json.append('"');
        }
        if (data != null) {
            json.append(json.length() > 1 ? ",\"data\":" : "\"data\":").append(data);
        }
        return Map.of(FIELD, json.append('}').toString());
    }

    /**
     * Appends {@code text} as the inside of a JSON string: as it is when no character needs escaping (ids, times, node
     * names, subjects), else escaped by Jackson. Looking first costs less under C1, the replay's compiler, than
     * Jackson's escaping of every character (0.65 against 1.4 µs to write an entry of five attributes and a tick).
     */
    private static void appendEscaped(String text, StringBuilder json) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                QUOTER.quoteAsString(text, json);
                return;
            }
        }
        json.append(text);
    }

    /** @return whether the entry is in structured mode: {@value #FIELD} is its only field */
    public static boolean isStructured(Map<String, String> fields) {
        return fields.size() == 1 && fields.get(FIELD) != null;
    }

    /**
     * @return the entry's attributes as flat fields ({@code data} as JSON text): parsed from {@value #FIELD} when the
     *         entry is in structured mode, else {@code fields} itself
     * @throws InvalidEnvelopeException when {@value #FIELD} is not a JSON object of attributes
     */
    public static Map<String, String> flatten(Map<String, String> fields) {
        return isStructured(fields) ? parse(fields.get(FIELD)) : fields;
    }

    /**
     * {@link #flatten} for readers that expand entries as they read them: an entry in structured mode that is not
     * valid, or longer than {@link #MAX_EAGER_CHARS}, is returned as it is, for the ingest guard to refuse (it
     * calls {@link Envelope#fromFields(String, Map)}, which flattens it again and names the reason).
     */
    public static Map<String, String> flattenIfValid(Map<String, String> fields) {
        if (!isStructured(fields) || fields.get(FIELD).length() > MAX_EAGER_CHARS) {
            return fields;
        }
        try {
            return parse(fields.get(FIELD));
        } catch (InvalidEnvelopeException e) {
            return fields;
        }
    }

    private static Map<String, String> parse(String json) {
        Map<String, String> out = new LinkedHashMap<>(12);
        boolean nulls = false;
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("it is not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                String text;
                if ("data".equals(name)) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    p.finishToken();
                    text = json.substring(start, (int) p.currentLocation().getCharOffset());
                } else if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                        || value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                    text = p.getString();
                } else if (value == JsonToken.VALUE_NULL) {
                    text = null;
                } else {
                    throw invalid("attribute '" + name + "' is " + describe(value) + ", not a string");
                }
                if (out.containsKey(name)) {
                    throw invalid("attribute '" + name + "' appears twice");
                }
                out.put(name, text);
                nulls |= text == null;
            }
            if (p.nextToken() != null) {
                throw invalid("there is more after the JSON object");
            }
        } catch (JacksonException e) {
            throw invalid(e.getOriginalMessage());
        }
        if (nulls) {
            out.values().removeIf(java.util.Objects::isNull); // an attribute null is an attribute absent
        }
        return out;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> "a number";
        };
    }

    private static InvalidEnvelopeException invalid(String why) {
        return new InvalidEnvelopeException("field '" + FIELD + "' is not a CloudEvent in JSON: " + why);
    }
}
