package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A global table's replica names why it skips an entry, in the vocabulary of a source's refusals, so
 * {@code qt.streams.global.entries.skipped} carries a {@code reason} tag (2026-12-06: only the log line named it).
 */
class GlobalStoreSkipReasonTest {

    /** A limit per symbol. */
    record Limit(String symbol, double max) {
    }

    private final GlobalStoreReplica replica = GlobalStoreReplica.inMemory(
            new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class)));

    private static Map<String, String> entry(String subject, Object value) {
        return new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "e-" + subject, subject, value,
                1_700_000_000_000L, null)));
    }

    @Test
    void eachSkippedEntryNamesTheReasonASourceWouldGive() {
        assertThat(replica.applyOrSkip(entry("A", new Limit("A", 10)), null)).as("applied").isNull();
        Map<String, String> noSubject = entry("B", new Limit("B", 1));
        noSubject.remove("subject");
        assertThat(replica.applyOrSkip(noSubject, null)).isEqualTo(GlobalStoreReplica.NO_SUBJECT).isEqualTo("null_key");
        Map<String, String> notALimit = entry("C", new Limit("C", 1));
        notALimit.put("data", "[1,2]");
        assertThat(replica.applyOrSkip(notALimit, null)).isEqualTo("invalid_value");
        Map<String, String> otherStream = entry("D", new Limit("D", 1));
        otherStream.put("type", "orders.v1");
        assertThat(replica.applyOrSkip(otherStream, null)).isEqualTo("wrong_type");
        assertThat(replica.applyOrSkip(entry("E", new Limit("E", 1)), "field 'data' twice")).isEqualTo("invalid_envelope");
        assertThat(replica.all()).containsOnlyKeys("A");
    }
}
