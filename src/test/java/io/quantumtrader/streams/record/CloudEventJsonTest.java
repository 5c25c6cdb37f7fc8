package io.quantumtrader.streams.record;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.runtime.IngestGuard;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.RejectedEntryException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Structured mode (issue 12): the engine writes an entry as one field holding the CloudEvent in JSON, and reads both
 * that and flat fields. The written JSON is checked with a plain Jackson tree, not with the class's own parser.
 */
class CloudEventJsonTest {

    static final long T = 1_700_000_000_123L;
    static final ObjectMapper PLAIN = new ObjectMapper();
    static final IngestGuard GUARD = new IngestGuard(IngestLimits.defaults(), stream -> 1);
    static final JsonSerde<Tick> TICKS = new JsonSerde<>(Tick.class);

    @Test
    void theEngineWritesOneFieldThatAnyJsonReaderTakesAsACloudEvent() {
        Map<String, String> entry = EnvelopeCodec.encode("ticks", "feed", "e-1", "AAA", new Tick("AAA", 1.5, 1), T,
                "trace-7");
        assertThat(entry).containsOnlyKeys(CloudEventJson.FIELD);
        JsonNode event = PLAIN.readTree(entry.get(CloudEventJson.FIELD));
        assertThat(event.propertyNames()).containsExactly("id", "source", "time", "subject", "traceid", "data");
        assertThat(event.get("id").asString()).isEqualTo("e-1");
        assertThat(event.get("time").asString()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(event.get("data")).isEqualTo(PLAIN.readTree("{\"symbol\":\"AAA\",\"price\":1.5,\"seq\":1}"));

        Envelope read = Envelope.fromFields("ticks", entry);
        assertThat(read).isEqualTo(new Envelope("e-1", "feed", "ticks.v1", Instant.ofEpochMilli(T), "AAA",
                "{\"symbol\":\"AAA\",\"price\":1.5,\"seq\":1}", "trace-7", "e-1"));
        assertThat(Envelope.traceIdOf(entry)).isEqualTo("trace-7");
    }

    @Test
    void flatFieldsRoundTripThroughStructuredMode() {
        String[] awkward = {"plain", "quote \" and backslash \\", "tab\tnew line\nbell\u0007", "ünïcødé ✓ 𝄞", ""};
        String[] data = {"{\"a\":\"}{\\\"\",\"b\":[1,{\"c\":null}]}", "[1,2,3]", "\"a string\"", "42", "-1.5e3", "true",
                "null", "{}"};
        for (String text : awkward) {
            for (String d : data) {
                Map<String, String> flat = new LinkedHashMap<>();
                flat.put("id", "id-" + text);
                flat.put("source", text);
                flat.put("time", "2023-11-14T22:13:20Z");
                flat.put("subject", text);
                flat.put("data", d);
                Map<String, String> entry = CloudEventJson.structured(flat);
                assertThat(PLAIN.readTree(entry.get(CloudEventJson.FIELD)).get("source").asString()).isEqualTo(text);
                assertThat(CloudEventJson.flatten(entry)).as("%s / %s", text, d).isEqualTo(flat);
            }
        }
    }

    @Test
    void anotherProducersStructuredEventReadsInAnyOrderWithEveryAttribute() {
        String json = """
                { "specversion" : "1.0", "data" : { "symbol" : "AAA", "price" : 2.5, "seq" : 3 } ,
                  "type":"ticks.v1", "id":"x-1", "time":"2023-11-14T22:13:20Z", "subject":"AAA",
                  "datacontenttype":"application/json", "sequence": 17, "retried": false, "comment": null }
                """;
        Map<String, String> flat = CloudEventJson.flatten(Map.of(CloudEventJson.FIELD, json));
        assertThat(flat).containsEntry("data", "{ \"symbol\" : \"AAA\", \"price\" : 2.5, \"seq\" : 3 }")
                .containsEntry("sequence", "17").containsEntry("retried", "false").doesNotContainKey("comment");
        IngestGuard.Accepted accepted = GUARD.check("ticks", 0, Map.of(CloudEventJson.FIELD, json), TICKS, false, T);
        assertThat(accepted.value()).isEqualTo(new Tick("AAA", 2.5, 3));
        assertThat(accepted.envelope().source()).isEqualTo("unknown");
    }

    @Test
    void flatEntriesAreLeftAsTheyAre() {
        Map<String, String> flat = Map.of("id", "e", "time", "2023-11-14T22:13:20Z", "data", "{}");
        assertThat(CloudEventJson.flatten(flat)).isSameAs(flat);
        assertThat(CloudEventJson.flattenIfValid(flat)).isSameAs(flat);
        // the field beside others is not structured mode: read as flat fields (and refused there: no id)
        Map<String, String> mixed = Map.of(CloudEventJson.FIELD, "{\"id\":\"e\"}", "data", "{}");
        assertThat(CloudEventJson.flatten(mixed)).isSameAs(mixed);
    }

    @Test
    void anInvalidStructuredEntryIsRefusedWithItsReason() {
        Map<String, String> reasons = Map.of(
                "not json", "field 'cloudevent' is not a CloudEvent in JSON: Unrecognized token 'not'",
                "[1,2]", "it is not a JSON object",
                "{\"id\":\"e\",\"subject\":[\"a\"]}", "attribute 'subject' is an array, not a string",
                "{\"id\":\"e\",\"subject\":{}}", "attribute 'subject' is an object, not a string",
                "{\"id\":\"e\",\"time\":1.5}", "attribute 'time' is a number, not a string",
                "{\"id\":\"e\",\"id\":\"f\"}", "attribute 'id' appears twice",
                "{\"id\":\"e\",\"subject\":null,\"subject\":\"A\"}", "attribute 'subject' appears twice",
                "{\"id\":\"e\"} {}", "there is more after the JSON object",
                "{\"id\":\"e\",\"data\":{\"a\":", "Unexpected end-of-input");
        reasons.forEach((json, reason) -> {
            Map<String, String> entry = Map.of(CloudEventJson.FIELD, json);
            assertThatThrownBy(() -> CloudEventJson.flatten(entry)).as(json)
                    .isInstanceOf(InvalidEnvelopeException.class).hasMessageContaining(reason);
            assertThat(CloudEventJson.flattenIfValid(entry)).as(json).isSameAs(entry);
            assertThatThrownBy(() -> GUARD.check("ticks", 0, entry, TICKS, false, T)).as(json)
                    .isInstanceOfSatisfying(RejectedEntryException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectedEntryException.Reason.INVALID_ENVELOPE))
                    .hasMessageContaining(reason);
        });
    }

    @Test
    void readersExpandOnlyWhatTheIngestGuardCouldAccept() {
        String big = "x".repeat(CloudEventJson.MAX_EAGER_CHARS);
        Map<String, String> flat = Map.of("id", "e", "time", "2023-11-14T22:13:20Z", "data", "\"" + big + "\"");
        Map<String, String> entry = CloudEventJson.structured(flat);
        assertThat(CloudEventJson.flattenIfValid(entry)).isSameAs(entry);
        assertThat(CloudEventJson.flatten(entry)).isEqualTo(flat);
        assertThatThrownBy(() -> GUARD.check("ticks", 0, entry, TICKS, false, T))
                .isInstanceOfSatisfying(RejectedEntryException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedEntryException.Reason.OVERSIZED));
    }
}
