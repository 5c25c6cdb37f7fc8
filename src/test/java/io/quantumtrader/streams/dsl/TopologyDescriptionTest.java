package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code describe()} prints Kafka Streams' TopologyDescription text format. */
class TopologyDescriptionTest {

    @Test
    void printsKafkaStreamsFormatWithGeneratedNames() {
        TopologyBuilder b = new TopologyBuilder("app");
        b.stream("input", String.class).filter((k, v) -> true).mapValues(v -> v).to("output");
        String expected = """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [input])
                      --> KSTREAM-FILTER-0000000001
                    Processor: KSTREAM-FILTER-0000000001 (stores: [])
                      --> KSTREAM-MAPVALUES-0000000002
                      <-- KSTREAM-SOURCE-0000000000
                    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])
                      --> KSTREAM-SINK-0000000003
                      <-- KSTREAM-FILTER-0000000001
                    Sink: KSTREAM-SINK-0000000003 (topic: output)
                      <-- KSTREAM-MAPVALUES-0000000002

                """;
        assertThat(b.build().describe().toString()).isEqualTo(expected);
    }

    @Test
    void splitsIntoSubtopologiesAtStreamsAndListsStoresAndBranches() {
        TopologyBuilder b = new TopologyBuilder("app");
        b.addStateStore(StoreSpec.keyValueStore("counts", Long.class));
        Map<String, EventStream<String, Tick>> branches = b.stream("ticks", Tick.class, Named.as("ticks"))
                .split(Named.as("side-"))
                .branch((k, t) -> t.price() > 100, Branched.as("high"))
                .defaultBranch(Branched.as("low"));
        branches.get("side-high").to("high");
        branches.get("side-low").process(() -> record -> { }, Named.as("count"), "counts");
        b.stream("high", Tick.class, Named.as("high-in")).merge(b.stream("other", Tick.class, Named.as("other-in")), Named.as("both"))
                .to("merged", Named.as("merged-out"));

        TopologyDescription d = b.build().describe();
        assertThat(d.subtopologies()).hasSize(2);
        String text = d.toString();
        assertThat(text).contains("""
                    Processor: side- (stores: [])
                      --> side-high, side-low
                      <-- ticks
                """);
        assertThat(text).contains("""
                    Processor: count (stores: [counts])
                      --> none
                      <-- side-low
                """);
        assertThat(text).contains("""
                  Sub-topology: 1
                    Source: high-in (topics: [high])
                      --> both
                    Source: other-in (topics: [other])
                      --> both
                    Processor: both (stores: [])
                      --> merged-out
                      <-- high-in, other-in
                    Sink: merged-out (topic: merged)
                      <-- both
                """);
    }

    @Test
    void rejectsDuplicateNamesUnknownStoresAndDoubleSources() {
        TopologyBuilder b = new TopologyBuilder("app");
        EventStream<String, String> s = b.stream("in", String.class, Named.as("x"));
        assertThatThrownBy(() -> s.filter((k, v) -> true, Named.as("x")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("'x' is used twice");
        assertThatThrownBy(() -> s.process(() -> r -> { }, "nope"))
                .isInstanceOf(TopologyException.class).hasMessageContaining("'nope', which was not added");
        // a stream read twice in one sub-topology is refused; two sub-topologies may each read it (own consumer group)
        EventStream<String, String> again = b.stream("in", String.class, Named.as("x-again"));
        s.merge(again, Named.as("both")).to("out");
        assertThatThrownBy(b::build)
                .isInstanceOf(TopologyException.class).hasMessageContaining("already read by source 'x'");
        TopologyBuilder separate = new TopologyBuilder("app");
        separate.stream("in", String.class, Named.as("first")).to("out-1");
        separate.stream("in", String.class, Named.as("second")).to("out-2");
        assertThat(separate.build().taskSubtopologies()).hasSize(2);
        assertThatThrownBy(() -> new TopologyBuilder("no:colons"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopologyBuilder("empty").build())
                .isInstanceOf(TopologyException.class).hasMessageContaining("has no source");
    }
}
