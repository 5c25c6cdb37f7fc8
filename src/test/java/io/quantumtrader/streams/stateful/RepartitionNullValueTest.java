package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.stateful.TestEvents.Price;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, DSL semantics): Kafka Streams' {@code KStream#repartition} moves every record, a record with a
 * {@code null} value included (a table's deletion after {@code toStream()}), and reads it back unchanged. Here the
 * repartition's own source refused the null value and dead-letters it ({@code null_data}), with advice about a
 * {@code toStream().to(...)} the user never wrote; the README says a repartition keeps "key, value and event time". Fixed.
 */
class RepartitionNullValueTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("rpn");
        b.table("prices", Price.class, Materialized.as("latest", Price.class)).toStream()
                .repartition(Price.class, Named.as("by-key"))
                .mapValues(p -> p == null ? new Price(-1) : p)   // deletions made explicit after the repartition
                .to("out");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aTablesDeletionGoesThroughARepartitionAsKafkaStreamsMovesIt(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, topology())) {
            h.pipe("prices", "A", new Price(10), 1_000);
            h.pipe("prices", "A", null, 2_000);          // deletion: toStream() forwards (A, null)
            h.flush();

            // Kafka Streams: (A, 10) then (A, null) read back from the repartition topic, mapped to -1
            assertThat(h.values("out", Price.class)).containsExactly(new Price(10), new Price(-1));
            assertThat(h.deadLetters("rpn-by-key-repartition")).isEmpty();
        }
    }
}
