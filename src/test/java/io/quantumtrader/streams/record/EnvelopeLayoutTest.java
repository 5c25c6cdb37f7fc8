package io.quantumtrader.streams.record;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.runtime.IngestGuard;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.RejectedEntryException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wire layout (issue 12): attributes constant per stream or equal to the event id are not written and are implied
 * on read; entries that carry them (the full layout, another producer) read exactly as before, and a wrong value
 * present is still refused. Checked on the flat fields (binary mode) that the engine's structured entries expand to
 * ({@link CloudEventJson}, tested in {@code CloudEventJsonTest}).
 */
class EnvelopeLayoutTest {

    static final long T = 1_700_000_000_123L;
    static final IngestGuard GUARD = new IngestGuard(IngestLimits.defaults(), stream -> 1);
    static final JsonSerde<Tick> TICKS = new JsonSerde<>(Tick.class);

    @Test
    void writesOnlyWhatTheStreamDoesNotImply() {
        Map<String, String> f = flat("ticks", "feed", "e-1", "AAA", new Tick("AAA", 1.5, 1), T, null);
        assertThat(f).containsOnlyKeys("id", "source", "time", "subject", "data");
        assertThat(f.keySet()).containsExactly("id", "source", "time", "subject", "data");

        Map<String, String> derived = flat("priced", "app/sink", "e-2", null, 7, T, "trace-9");
        assertThat(derived).containsExactly(Map.entry("id", "e-2"), Map.entry("source", "app/sink"),
                Map.entry("time", "2023-11-14T22:13:20.123Z"), Map.entry("traceid", "trace-9"), Map.entry("data", "7"));
    }

    @Test
    void impliedAttributesRoundTrip() {
        Map<String, String> f = flat("ticks", "feed", "e-1", "AAA", new Tick("AAA", 1.5, 1), T, null);
        Envelope e = Envelope.fromFields("ticks", f);
        assertThat(e).isEqualTo(new Envelope("e-1", "feed", "ticks.v1", Instant.ofEpochMilli(T), "AAA",
                "{\"symbol\":\"AAA\",\"price\":1.5,\"seq\":1}", "e-1", "e-1"));
        assertThat(e.toFields("ticks")).isEqualTo(f);
        // without the stream, the type stays unknown; everything else is the same
        assertThat(Envelope.fromFields(f).type()).isNull();
        assertThat(Envelope.fromFields(f).traceId()).isEqualTo("e-1");
        assertThat(Envelope.traceIdOf(f)).isEqualTo("e-1");
    }

    @Test
    void theFullLayoutReadsTheSameAsTheCompactOne() {
        Envelope e = new Envelope("e-3", "app/sink", "ticks.v1", Instant.ofEpochMilli(T), "AAA", "{}", "trace-1", "key-1");
        Map<String, String> full = e.toFields();
        assertThat(full).containsEntry("specversion", "1.0").containsEntry("datacontenttype", "application/json")
                .containsEntry("type", "ticks.v1").hasSize(10);
        Map<String, String> compact = e.toFields("ticks");
        assertThat(compact).doesNotContainKeys("specversion", "datacontenttype", "type")
                .containsEntry("traceid", "trace-1").containsEntry("idempotencykey", "key-1");
        assertThat(Envelope.fromFields("ticks", full)).isEqualTo(e).isEqualTo(Envelope.fromFields("ticks", compact));
        assertThat(Envelope.fromFields(full)).isEqualTo(e);
        assertThat(Envelope.traceIdOf(full)).isEqualTo("trace-1");
        // a type that is not the stream's own is written out, so it reaches the guard
        assertThat(e.toFields("priced")).containsEntry("type", "ticks.v1");
    }

    @Test
    void aWrongValuePresentIsStillRefused() {
        Map<String, String> f = flat("ticks", "feed", "e-1", "AAA", new Tick("AAA", 1.5, 1), T, null);
        assertThatThrownBy(() -> Envelope.fromFields("ticks", with(f, "specversion", "2.0")))
                .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining("unsupported specversion '2.0'");
        assertThat(reason(with(f, "specversion", "0.3"))).isEqualTo(RejectedEntryException.Reason.INVALID_ENVELOPE);
        assertThat(reason(with(f, "type", "priced.v1"))).isEqualTo(RejectedEntryException.Reason.WRONG_TYPE);
        assertThat(reason(with(f, "type", ""))).isEqualTo(RejectedEntryException.Reason.WRONG_TYPE);
        assertThat(reason(with(f, "type", "ticks.v2"))).isEqualTo(RejectedEntryException.Reason.UNSUPPORTED_VERSION);
        assertThat(reason(with(f, "id", null))).isEqualTo(RejectedEntryException.Reason.INVALID_ENVELOPE);
        assertThat(reason(with(f, "time", null))).isEqualTo(RejectedEntryException.Reason.INVALID_ENVELOPE);
        assertThat(reason(with(f, "data", null))).isEqualTo(RejectedEntryException.Reason.INVALID_ENVELOPE);
    }

    @Test
    void theGuardAcceptsBothLayoutsAndAMinimalForeignEntry() {
        Map<String, String> structured = EnvelopeCodec.encode("ticks", "feed", "e-1", "AAA", new Tick("AAA", 1.5, 1), T, null);
        Map<String, String> compact = CloudEventJson.flatten(structured);
        Map<String, String> full = Envelope.fromFields("ticks", compact).toFields();
        Map<String, String> minimal = new LinkedHashMap<>();
        minimal.put("id", "cli-1");
        minimal.put("time", "2023-11-14T22:13:20Z");
        minimal.put("data", "{\"symbol\":\"AAA\",\"price\":2.5,\"seq\":2}");
        for (Map<String, String> f : java.util.List.of(structured, compact, full, minimal)) {
            IngestGuard.Accepted a = GUARD.check("ticks", 0, f, TICKS, false, System.currentTimeMillis());
            assertThat(a.envelope().type()).isEqualTo("ticks.v1");
            assertThat(a.value()).isInstanceOf(Tick.class);
        }
        Envelope m = GUARD.check("ticks", 0, minimal, TICKS, false, System.currentTimeMillis()).envelope();
        assertThat(m.traceId()).isEqualTo("cli-1");
        assertThat(m.idempotencyKey()).isEqualTo("cli-1");
        assertThat(m.source()).isEqualTo("unknown");
    }

    /** @return the flat fields of the entry the engine writes ({@link EnvelopeCodec#encode}, structured mode) */
    private static Map<String, String> flat(String stream, String source, String id, String key, Object value, long time,
                                            String traceId) {
        return CloudEventJson.flatten(EnvelopeCodec.encode(stream, source, id, key, value, time, traceId));
    }

    private static RejectedEntryException.Reason reason(Map<String, String> f) {
        try {
            GUARD.check("ticks", 0, f, TICKS, false, System.currentTimeMillis());
        } catch (RejectedEntryException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + f);
    }

    private static Map<String, String> with(Map<String, String> f, String field, String value) {
        Map<String, String> m = new LinkedHashMap<>(f);
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return m;
    }
}
