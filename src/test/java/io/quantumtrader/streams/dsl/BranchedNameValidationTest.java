package io.quantumtrader.streams.dsl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Found in review (2026-12-07): Named.as refuses node names with characters other than letters, digits, '.', '_' and '-' (they
 * name metrics, DLQ streams and diagram boxes), but a branch's name (Branched.as) becomes part of a node name unchecked,
 * as Kafka Streams checks it (Named#validate).
 */
class BranchedNameValidationTest {

    @Test
    void aBranchNameWithAQuoteIsRefusedAsANodeNameIs() {
        assertThatThrownBy(() -> Named.as("high\"price")).isInstanceOf(IllegalArgumentException.class);
        TopologyBuilder b = new TopologyBuilder("app");
        assertThatThrownBy(() -> b.stream("in", String.class).split(Named.as("s-"))
                .branch((k, v) -> true, Branched.as("high\"price"))
                .defaultBranch())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
