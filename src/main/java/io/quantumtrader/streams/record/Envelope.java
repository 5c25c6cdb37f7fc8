package io.quantumtrader.streams.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream entry: CloudEvents 1.0 attributes, written by this engine in structured mode (one field holding the event
 * in JSON, {@link #toStructured(String)}, {@link CloudEventJson}) and read from that or from flat fields (binary mode,
 * {@link #fromFields(String, Map)}), DESIGN §4.
 *
 * <p>Fields: {@code id} (unique event id), {@code source} (producing node), {@code specversion} ("1.0"),
 * {@code type} (e.g. {@code risk.evaluation.complete.v1}), {@code time} (event time, RFC 3339 UTC),
 * {@code subject} (record key, may be absent), {@code datacontenttype} ({@code application/json}),
 * {@code data} (the JSON payload), and the extensions {@code traceid} and {@code idempotencykey}.
 *
 * <p><b>Implied attributes.</b> An attribute that is the same for every entry of a stream, or equal to another
 * attribute of the entry, is not written ({@link #toFields(String)}) and is implied when absent
 * ({@link #fromFields(String, Map)}):
 * <ul>
 *   <li>{@code specversion} absent = {@code 1.0};</li>
 *   <li>{@code datacontenttype} absent = {@code application/json};</li>
 *   <li>{@code type} absent = {@code <stream>.v1}, the stream the entry was read from ({@link #typeOf});</li>
 *   <li>{@code traceid} absent = the entry's {@code id};</li>
 *   <li>{@code idempotencykey} absent = the entry's {@code id}.</li>
 * </ul>
 * An entry that carries any of them (written before this layout, by another producer, by hand with redis-cli) is read
 * exactly as before: a value present is the value used, and a wrong one is refused as before (a {@code specversion}
 * other than 1.0 here, a {@code type} of another stream or version by the ingest guard). Dropping the five attributes
 * cuts an output entry from ten fields to five or six, and a commit script's arguments by about a third. Structured
 * mode leaves out the same attributes.
 *
 * @param time event time (UTC instant, millisecond precision on the wire)
 * @param type event type; {@code null} only when read with {@link #fromFields(Map)} from an entry that relies on its
 *             stream to imply it
 */
public record Envelope(String id, String source, String type, Instant time, String subject,
                       String data, String traceId, String idempotencyKey) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** The version suffix of every event type this build writes and reads: {@code <stream>.v1}. */
    public static final String TYPE_VERSION = "v1";

    /** Event types of the streams seen, so reading and writing an entry does not build {@code <stream>.v1} again. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> TYPES = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bound of {@link #TYPES}: a catalog has tens of streams; beyond this many the type is built per call. */
    private static final int MAX_TYPES = 4096;

    /** @return the event type of the stream's entries in this build, {@code <stream>.v1}; implied when absent */
    public static String typeOf(String stream) {
        String type = TYPES.get(stream);
        if (type != null) {
            return type;
        }
        type = stream + "." + TYPE_VERSION;
        if (TYPES.size() < MAX_TYPES) {
            TYPES.putIfAbsent(stream, type);
        }
        return type;
    }

    /**
     * @return every attribute written out, the implied ones included, in a stable order (the layout before implied
     *         attributes; what a producer that does not rely on them writes)
     */
    public Map<String, String> toFields() {
        Map<String, String> f = new LinkedHashMap<>(16);
        f.put("id", id);
        f.put("source", source);
        f.put("specversion", SPEC_VERSION);
        f.put("type", type);
        f.put("time", EventTimes.format(time));
        if (subject != null) {
            f.put("subject", subject);
        }
        f.put("datacontenttype", JSON);
        f.put("data", data);
        f.put("traceid", traceId);
        f.put("idempotencykey", idempotencyKey);
        return f;
    }

    /**
     * The entry's attributes as flat fields (binary mode), without those that {@link #fromFields(String, Map)} implies
     * (see the class comment), in a stable order: what {@link #toStructured(String)} writes as JSON, and an entry a
     * reader of flat fields takes, ready for XADD.
     *
     * @param stream the logical stream the entry is written to
     */
    public Map<String, String> toFields(String stream) {
        Map<String, String> f = new LinkedHashMap<>(8);
        f.put("id", id);
        f.put("source", source);
        if (!typeOf(stream).equals(type)) {
            f.put("type", type);
        }
        f.put("time", EventTimes.format(time));
        if (subject != null) {
            f.put("subject", subject);
        }
        f.put("data", data);
        if (traceId != null && !traceId.equals(id)) {
            f.put("traceid", traceId);
        }
        if (idempotencyKey != null && !idempotencyKey.equals(id)) {
            f.put("idempotencykey", idempotencyKey);
        }
        return f;
    }

    /**
     * The entry as this engine writes it to {@code stream}: one field, {@value CloudEventJson#FIELD}, the attributes of
     * {@link #toFields(String)} (none that can be implied) as one JSON object, {@code data} last as JSON.
     *
     * @param stream the logical stream the entry is written to
     */
    public Map<String, String> toStructured(String stream) {
        return CloudEventJson.structured(toFields(stream));
    }

    /**
     * Reads an entry of {@code stream}, in structured mode or in flat fields, implying the attributes it does not carry
     * (see the class comment).
     *
     * @param stream the logical stream the entry was read from; an absent {@code type} is {@code <stream>.v1}
     * @throws InvalidEnvelopeException when a required attribute ({@code id}, {@code time}, {@code data}) is missing,
     *                                  the spec version is not 1.0, {@code time} is not RFC 3339 or not within epoch
     *                                  milliseconds, or the entry's {@value CloudEventJson#FIELD} is not a JSON object
     *                                  of attributes
     */
    public static Envelope fromFields(String stream, Map<String, String> f) {
        return read(f, typeOf(stream));
    }

    /**
     * Reads an entry without knowing its stream: as {@link #fromFields(String, Map)}, except that an absent
     * {@code type} stays {@code null}. For readers that need the data, subject, time or ids only.
     *
     * @throws InvalidEnvelopeException when a required attribute ({@code id}, {@code time}, {@code data}) is missing,
     *                                  the spec version is not 1.0, or {@code time} is not RFC 3339 or not within
     *                                  epoch milliseconds
     */
    public static Envelope fromFields(Map<String, String> f) {
        return read(f, null);
    }

    /** @return the entry's trace id: its {@code traceid} field, else (implied) its {@code id}; null when it has neither */
    public static String traceIdOf(Map<String, String> entry) {
        Map<String, String> f = CloudEventJson.flattenIfValid(entry);
        String trace = f.get("traceid");
        return trace != null ? trace : f.get("id");
    }

    private static Envelope read(Map<String, String> entry, String impliedType) {
        Map<String, String> f = CloudEventJson.flatten(entry);
        String id = require(f, "id");
        String type = f.get("type");
        if (type == null) {
            type = impliedType;
        }
        String data = require(f, "data");
        String spec = f.get("specversion");
        if (spec != null && !SPEC_VERSION.equals(spec)) {
            throw new InvalidEnvelopeException("unsupported specversion '" + clip(spec) + "', expected 1.0");
        }
        Instant time;
        try {
            time = EventTimes.parse(require(f, "time"));
            time.toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidEnvelopeException("attribute 'time' is not an RFC 3339 UTC timestamp: " + clip(f.get("time")));
        } catch (ArithmeticException e) {
            // RFC 3339 parsing takes years up to ±1,000,000,000; a record's time is epoch ms (±292 million years).
            // Before, the conversion threw out of the ingest guard: the task restarted on the entry forever (review of
            // 2026-12-06, HostileEntryTest)
            throw new InvalidEnvelopeException("attribute 'time' " + clip(f.get("time"))
                    + " is outside the range of epoch milliseconds (about 292 million years either side of 1970)");
        }
        String trace = f.getOrDefault("traceid", id);
        return new Envelope(id, f.getOrDefault("source", "unknown"), type, time, f.get("subject"), data,
                trace, f.getOrDefault("idempotencykey", id));
    }

    /** @return an attribute's text for a message (a dead letter, a log line): its first 64 characters, controls as '?' */
    private static String clip(String text) {
        return (text.length() <= 64 ? text : text.substring(0, 64) + "…").replaceAll("\\p{Cntrl}", "?");
    }

    private static String require(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new InvalidEnvelopeException("missing CloudEvents attribute '" + name + "'");
        }
        return v;
    }
}
