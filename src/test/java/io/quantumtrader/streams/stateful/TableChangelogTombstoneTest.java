package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.KeyedTable;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.stateful.TestEvents.Position;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table's changelog ({@code toStream()}, deleted keys as {@code null} values) written with {@code to} and read back
 * by a stream source. Kafka Streams gives the KStream a {@code null} value; here the source refuses the tombstone and
 * dead-letters it ({@code null_data}, counted), with a message that says what to do; mapping deletions to an explicit
 * value before {@code to} reads them as records (found in review, 2026-12-06; documented at {@code KeyedTable#toStream}).
 */
class TableChangelogTombstoneTest {

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aTombstoneWrittenFromAChangelogIsDeadLetteredByAStreamSourceNamingTheWayOut(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("changelog");
        b.table("positions", Position.class, Materialized.as("open-positions", Position.class)).toStream().to("position-changes");
        b.stream("position-changes", Position.class)
                .mapValues(p -> p == null ? "closed" : "open", Named.as("status"))
                .to("position-status");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("positions", "BTC", new Position("BTC", 1, 100), 1);
            h.pipe("positions", "BTC", null, 2);
            h.flush();
            assertThat(h.values("position-status", String.class)).containsExactly("open");
            assertThat(h.deadLetters("position-changes")).singleElement().satisfies(d -> {
                assertThat(d).containsEntry("error.reason", "null_data").containsEntry("subject", "BTC");
                assertThat(d.get("error.message")).contains("a stream source refuses tombstones")
                        .contains("map them to an explicit value before to(...)");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void deletionsMappedToAnExplicitValueBeforeToAreReadAsRecords(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("changelog");
        KeyedTable<String, Position> positions = b.table("positions", Position.class, Materialized.as("open-positions", Position.class));
        positions.toStream()
                .mapValues(p -> p == null ? "closed" : "open", Named.as("status"))
                .to("position-status");
        b.stream("position-status", String.class)
                .mapValues(s -> s.toUpperCase(), Named.as("upper"))
                .to("position-status-upper");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("positions", "BTC", new Position("BTC", 1, 100), 1);
            h.pipe("positions", "BTC", null, 2);
            h.flush();
            assertThat(h.values("position-status-upper", String.class)).containsExactly("OPEN", "CLOSED");
            assertThat(h.deadLetters("position-status")).isEmpty();
        }
    }
}
