package io.quantumtrader.streams.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the stream entry of an outgoing record (DESIGN §4): JSON data, event type {@code <stream>.v1}, and an event
 * id that is deterministic when derived from an input (so reprocessing after a crash derives the same id and
 * idempotency key). The entry carries only the attributes its stream does not imply ({@link Envelope#toFields(String)}).
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
     * @return the entry's fields: one, the CloudEvent in JSON, without the attributes implied by the stream
     *         ({@link Envelope#toStructured(String)})
     * @throws SerializationException when the value cannot be encoded
     */
    public static Map<String, String> encode(String stream, String source, String eventId, String key, Object value,
                                             long time, String traceId) {
        String data = JSON.serialize(value);
        return new Envelope(eventId, source, Envelope.typeOf(stream), Instant.ofEpochMilli(time), key, data,
                traceId == null ? eventId : traceId, eventId).toStructured(stream);
    }

    /**
     * What an output without an input entry of its batch (a punctuation's, a record kept from an earlier batch) is
     * told apart by beside its number ({@code OutputIds}): its event time, subject and value, the value as canonical
     * JSON (map entries ordered by key: two equal maps that iterate in other orders — a {@code HashMap} that grew and
     * shrank, one rebuilt from JSON — give one text; found in review, 2026-12-06). A set is written in its iteration
     * order: equal sets that iterate differently ({@code Set.of} is salted per JVM) give other texts, so such an output
     * produced again after a failover may get another id (a duplicate downstream, never a loss).
     *
     * @param subject the record's subject (its key as the sink writes it), or {@code null}
     * @param value   the payload, or {@code null}
     * @param time    event time, epoch ms
     * @return {@code <time>:<length of the subject>:<subject><value JSON>} (the length keeps two different pairs from
     *         spelling one string; a null subject is {@code -1} long)
     * @throws SerializationException when the value cannot be encoded
     */
    public static String content(String subject, Object value, long time) {
        String data;
        try {
            data = CANONICAL.writeValueAsString(value);
        } catch (RuntimeException e) {   // a map whose keys do not sort (not comparable, null): as it is written
            data = JSON.serialize(value);
        }
        return time + ":" + (subject == null ? "-1:" : subject.length() + ":" + subject) + data;
    }

    private static final tools.jackson.databind.ObjectWriter CANONICAL = JsonSerde.defaultMapper().writer()
            .with(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * @return a name-based (type 3) UUID of the given parts joined with {@code /}: the same parts always give the same
     *         id; equal to {@code UUID.nameUUIDFromBytes}, with one MD5 digest per thread instead of a provider look-up
     *         per call, fed part by part instead of a joined string
     */
    public static String deterministicId(String... parts) {
        java.security.MessageDigest digest = MD5.get();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                digest.update((byte) '/');
            }
            digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        byte[] md5 = digest.digest();
        md5[6] &= 0x0f;
        md5[6] |= 0x30; // version 3
        md5[8] &= 0x3f;
        md5[8] |= (byte) 0x80; // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private static final ThreadLocal<java.security.MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new InternalError("MD5 is required of every Java platform", e);
        }
    });
}
