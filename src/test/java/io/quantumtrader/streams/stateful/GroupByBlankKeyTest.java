package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.stateful.TestEvents.Trade;
import io.quantumtrader.streams.testing.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key its readers would refuse as a subject (blank, longer than 128 characters) is not written: the record is
 * dead-lettered at the sink that would write it, naming the key's problem, in the dead letters of its own input. Found
 * in review (2026-12-07): a {@code groupBy} selector giving {@code ""} wrote the record to the internal repartition
 * stream, whose source refused it ({@code bad_subject}) into {@code <app>-<name>-repartition.dlq}, an internal stream
 * the user never named, blaming the repartition source.
 */
class GroupByBlankKeyTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("gbb");
        b.stream("trades", Trade.class)
                .groupBy((k, t) -> t.side(), Trade.class, Named.as("by-side"))
                .count(Materialized.as("side-counts")).toStream().to("side-counts");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void anEmptyKeyIsDeadLetteredAtTheSinkNamingTheProblem(Harness.Mode mode) {
        assertRefusedAtTheSink(mode, "", "subject is blank");
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aKeyLongerThanASubjectIsDeadLetteredAtTheSinkNamingTheProblem(Harness.Mode mode) {
        assertRefusedAtTheSink(mode, "X".repeat(129), "subject of 129 characters is longer than 128");
    }

    private static void assertRefusedAtTheSink(Harness.Mode mode, String side, String problem) {
        try (Harness h = Harness.of(mode, topology())) {
            h.pipe("trades", "A", new Trade("A", "BUY", 1), 1_000);
            h.pipe("trades", "B", new Trade("B", side, 1), 2_000);
            h.flush();

            assertThat(h.read("side-counts", Long.class)).extracting(TestRecord::value).as("the valid trade counted").containsExactly(1L);
            assertThat(h.deadLetters("gbb-by-side-repartition")).as("nothing refused by the internal source").isEmpty();
            assertThat(h.deadLetters("trades")).singleElement().satisfies(d -> {
                assertThat(d.get("error.stage")).isEqualTo("by-side-repartition-sink");
                assertThat(d.get("error.message")).contains(problem);
            });
        }
    }
}
