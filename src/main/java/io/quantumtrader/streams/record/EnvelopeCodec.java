package io.quantumtrader.streams.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the stream entry of an outgoing record (DESIGN §4): JSON data, event type {@code <stream>.v1}, and an event
 * id that is deterministic when derived from an input (so reprocessing after a crash derives the same id and
 * idempotency key).
 */
public final class EnvelopeCodec {

    private static final JsonSerde<Object> JSON = new JsonSerde<>(Object.class);

    private EnvelopeCodec() {
    }

    /**
     * @param stream   the target stream; the event type is {@code <stream>.v1}
     * @param source   producing node, e.g. {@code quantum-trader/position-sizer}
     * @param eventId  the event id, also used as idempotency key
     * @param key      subject; may be {@code null}
     * @param value    payload, encoded with the default JSON mapper (snake_case)
     * @param time     event time, epoch ms
     * @param traceId  trace id to carry; the event id when {@code null}
     * @throws SerializationException when the value cannot be encoded
     */
    public static Map<String, String> encode(String stream, String source, String eventId, String key, Object value,
                                             long time, String traceId) {
        String data = JSON.serialize(value);
        return new Envelope(eventId, source, stream + ".v1", Instant.ofEpochMilli(time), key, data,
                traceId == null ? eventId : traceId, eventId).toFields();
    }

    /** @return a name-based (type 3) UUID of the given parts: the same parts always give the same id */
    public static String deterministicId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
