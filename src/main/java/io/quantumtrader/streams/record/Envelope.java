package io.quantumtrader.streams.record;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream entry as stored in Redis: CloudEvents 1.0 attributes as flat fields (DESIGN §4).
 *
 * <p>Fields: {@code id} (unique event id), {@code source} (producing node), {@code specversion} ("1.0"),
 * {@code type} (e.g. {@code risk.evaluation.complete.v1}), {@code time} (event time, RFC 3339 UTC),
 * {@code subject} (record key, may be absent), {@code datacontenttype} ({@code application/json}),
 * {@code data} (the JSON payload), and the extensions {@code traceid} and {@code idempotencykey}.
 *
 * @param time event time (UTC instant, millisecond precision on the wire)
 */
public record Envelope(String id, String source, String type, Instant time, String subject,
                       String data, String traceId, String idempotencyKey) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    /** @return the entry fields in a stable order, ready for XADD */
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
     * Reads an envelope from raw stream entry fields.
     *
     * @throws InvalidEnvelopeException when a required attribute ({@code id}, {@code type}, {@code time}, {@code data})
     *                                  is missing, the spec version is not 1.0, or {@code time} is not RFC 3339
     */
    public static Envelope fromFields(Map<String, String> f) {
        String id = require(f, "id");
        String type = require(f, "type");
        String data = require(f, "data");
        String spec = f.get("specversion");
        if (spec != null && !SPEC_VERSION.equals(spec)) {
            throw new InvalidEnvelopeException("unsupported specversion '" + spec + "', expected 1.0");
        }
        Instant time;
        try {
            time = EventTimes.parse(require(f, "time"));
        } catch (DateTimeParseException e) {
            throw new InvalidEnvelopeException("attribute 'time' is not an RFC 3339 UTC timestamp: " + f.get("time"));
        }
        String trace = f.getOrDefault("traceid", id);
        return new Envelope(id, f.getOrDefault("source", "unknown"), type, time, f.get("subject"), data,
                trace, f.getOrDefault("idempotencykey", id));
    }

    private static String require(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new InvalidEnvelopeException("missing CloudEvents attribute '" + name + "'");
        }
        return v;
    }
}
