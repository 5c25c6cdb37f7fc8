package io.quantumtrader.streams.dsl;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): node and stream names may contain '.', '_' and '-', but the Mermaid ids replace all three by '_', so
 * two different nodes (or two different streams) are drawn as one box, with the edges of both.
 */
class MermaidIdCollisionTest {

    @Test
    void nodesWhoseNamesDifferOnlyInPunctuationAreDistinctBoxes() {
        TopologyBuilder b = new TopologyBuilder("app");
        EventStream<String, String> in = b.stream("in", String.class, Named.as("in"));
        in.filter((k, v) -> true, Named.as("by-side")).to("out.a", Named.as("sink-a"));
        in.filter((k, v) -> false, Named.as("by_side")).to("out.b", Named.as("sink-b"));
        String mermaid = TopologyDiagrams.mermaid("app", b.build().describe());

        // one box declaration per node: "    <id>[..." inside the subgraph
        List<String> boxes = Arrays.stream(mermaid.split("\n")).filter(l -> l.startsWith("    n_by")).toList();
        assertThat(boxes).hasSize(2);
        assertThat(boxes.get(0).substring(0, boxes.get(0).indexOf('[')))
                .isNotEqualTo(boxes.get(1).substring(0, boxes.get(1).indexOf('[')));
    }

    @Test
    void streamsWhoseNamesDifferOnlyInPunctuationAreDistinctCylinders() {
        TopologyBuilder b = new TopologyBuilder("app");
        b.stream("orders.new", String.class, Named.as("a")).to("x", Named.as("xa"));
        b.stream("orders-new", String.class, Named.as("b")).to("y", Named.as("yb"));
        String mermaid = TopologyDiagrams.mermaid("app", b.build().describe());
        List<String> cylinders = Arrays.stream(mermaid.split("\n")).filter(l -> l.contains("[(\"orders")).toList();
        assertThat(cylinders).hasSize(2);
        assertThat(cylinders.get(0).substring(0, cylinders.get(0).indexOf('[')))
                .isNotEqualTo(cylinders.get(1).substring(0, cylinders.get(1).indexOf('[')));
    }
}
