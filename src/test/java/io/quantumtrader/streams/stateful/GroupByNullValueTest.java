package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.stateful.TestEvents.Price;
import io.quantumtrader.streams.testing.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code groupBy} over records that carry no value (a table's deletions through {@code toStream()}) or whose selector
 * gives no key: Kafka Streams' aggregations skip such records and count them (dropped-records); found in review
 * (2026-12-07), they were dead-lettered by the repartition sink with a message about a {@code to()} the user never wrote.
 */
class GroupByNullValueTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("gbn");
        b.table("prices", Price.class, Materialized.as("latest-price", Price.class)).toStream()
                .groupBy((k, p) -> p.value() > 100 ? "HIGH" : p.value() < 0 ? null : "LOW", Price.class, Named.as("by-level"))
                .count(Materialized.as("level-counts")).toStream().to("level-counts");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void deletionsAndKeylessRecordsAreSkippedAndCountedNotDeadLettered(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, topology())) {
            h.pipe("prices", "A", new Price(150), 1_000);
            h.pipe("prices", "B", new Price(50), 2_000);
            h.pipe("prices", "A", null, 3_000);           // a deletion: toStream() forwards (A, null)
            h.pipe("prices", "C", new Price(-1), 4_000);  // the selector gives no key
            h.pipe("prices", "B", new Price(200), 5_000);
            h.flush();

            assertThat(h.read("level-counts", Long.class)).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("HIGH", 1L),
                            org.assertj.core.groups.Tuple.tuple("LOW", 1L),
                            org.assertj.core.groups.Tuple.tuple("HIGH", 2L));
            assertThat(h.deadLetters("gbn-by-level-repartition")).isEmpty();
            assertThat(h.deadLetters("prices")).isEmpty();
            assertThat(h.dropped()).isEqualTo(2);
        }
    }
}
