package io.quantumtrader.streams.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
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
     * told apart by beside its number ({@code OutputIds}): its event time, subject and value, the value as
     * {@link #canonicalJson canonical JSON}.
     *
     * @param subject the record's subject (its key as the sink writes it), or {@code null}
     * @param value   the payload, or {@code null}
     * @param time    event time, epoch ms
     * @return {@code <time>:<length of the subject>:<subject><value JSON>} (the length keeps two different pairs from
     *         spelling one string; a null subject is {@code -1} long)
     * @throws SerializationException when the value cannot be encoded
     */
    public static String content(String subject, Object value, long time) {
        return time + ":" + (subject == null ? "-1:" : subject.length() + ":" + subject) + canonicalJson(value);
    }

    /**
     * A value as canonical JSON: the default mapper's JSON (snake_case) with map entries ordered by key and the
     * elements of a set that is not a {@link SortedSet} in a canonical order (strings, boxed integers, one enum's
     * constants in their natural order, any other elements by their own canonical JSON), so two equal values
     * give one text however their maps and sets iterate (a {@code HashMap} that grew and shrank, one rebuilt from
     * JSON, a {@code HashSet} filled in another order, {@code Set.of} salted per JVM; found in review, 2026-12-06).
     * A {@code SortedSet} keeps its comparator's order, the same for equal sets of one comparator. Readers see the
     * same value: JSON object members have no order (RFC 8259 §4), and a set read back is a set. A map whose keys do
     * not sort (not comparable, {@code null}) is written as the default mapper writes it. For ids only: it differs
     * from the default mapper's JSON (a {@code LinkedHashSet}'s order, an empty set under {@code NON_EMPTY}, a set
     * field's {@code contentUsing}), so the entry's data is the default mapper's, as every output's (for ~0.5 µs a
     * second serialization costs, thread CPU time: written with this text for a while on 2026-12-06, and a reader saw
     * another value from a punctuation than from {@code process}: review 2026-12-06)
     *
     * @param value the payload, or {@code null}
     * @return the JSON text
     * @throws SerializationException when the value cannot be encoded
     */
    public static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (RuntimeException e) {   // a map whose keys do not sort (not comparable, null): as it is written
            return JSON.serialize(value);
        }
    }

    /**
     * Writes a set's elements in a canonical order: strings, boxed integers and one enum's constants in their natural
     * order, other elements by their canonical JSON (each element's text written as it sorted: one serialization per
     * element); a {@link SortedSet} in its own order.
     */
    private static final class CanonicalSetSerializer extends tools.jackson.databind.ser.std.StdSerializer<Set<?>> {

        CanonicalSetSerializer() {
            super(Set.class);
        }

        @Override
        public void serialize(Set<?> set, tools.jackson.core.JsonGenerator gen,
                              tools.jackson.databind.SerializationContext ctxt) {
            gen.writeStartArray(set, set.size());
            if (set instanceof SortedSet) {
                for (Object element : set) {
                    ctxt.writeValue(gen, element);
                }
            } else if (ofOneNaturallyOrderedType(set)) {
                Object[] elements = set.toArray();
                java.util.Arrays.sort(elements);
                for (Object element : elements) {
                    ctxt.writeValue(gen, element);
                }
            } else {
                String[] texts = new String[set.size()];
                int i = 0;
                for (Object element : set) {
                    texts[i++] = CANONICAL.writeValueAsString(element);
                }
                java.util.Arrays.sort(texts, 0, i);
                for (int j = 0; j < i; j++) {
                    gen.writeRawValue(texts[j]);
                }
            }
            gen.writeEndArray();
        }
    }

    /**
     * @return whether the set's elements are all of one type whose natural order is total and consistent with equals,
     *         so equal sets sort alike (strings, boxed integers, characters, booleans, one enum): sorted as they
     *         are, without writing each element to text first (a set of five symbols written in ~0.27 µs in all; their
     *         five texts alone took ~0.55 µs: thread CPU time, 2026-12-06, report of branch ids-claims)
     */
    private static boolean ofOneNaturallyOrderedType(Set<?> set) {
        Class<?> type = null;
        for (Object element : set) {
            if (element == null) {
                return false;
            }
            Class<?> c = element.getClass();
            if (type == null) {
                if (!(c == String.class || c == Integer.class || c == Long.class || c == Short.class || c == Byte.class
                        || c == Character.class || c == Boolean.class || c.isEnum())) {
                    return false;
                }
                type = c;
            } else if (c != type) {
                return false;
            }
        }
        return true;
    }

    private static final tools.jackson.databind.ObjectWriter CANONICAL = JsonSerde.defaultMapper().rebuild()
            .enable(tools.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(new tools.jackson.databind.module.SimpleModule("canonical-sets")
                    .addSerializer(new CanonicalSetSerializer()))
            .build().writer();

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
