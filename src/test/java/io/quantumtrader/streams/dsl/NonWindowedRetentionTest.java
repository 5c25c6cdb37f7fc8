package io.quantumtrader.streams.dsl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Found in review (2026-12-07): Materialized.withRetention is honoured by windowed stores only; on a key-value aggregation or a
 * table it is ignored without a word (keys are never expired), where the windowed case with final results is refused
 * loudly (KeyedTable#retentionWithFinalResults) precisely because silent ignoring was judged a defect.
 */
class NonWindowedRetentionTest {

    @Test
    void retentionOnAKeyValueAggregationIsRefused() {
        TopologyBuilder b = new TopologyBuilder("app");
        assertThatThrownBy(() -> b.stream("in", String.class).groupByKey()
                .count(Materialized.<Long>as("counts").withRetention(Duration.ofHours(1))))
                .isInstanceOf(TopologyException.class);
    }

    @Test
    void retentionOnATableIsRefused() {
        TopologyBuilder b = new TopologyBuilder("app");
        assertThatThrownBy(() -> b.table("in", String.class,
                Materialized.as("t", String.class).withRetention(Duration.ofHours(1))))
                .isInstanceOf(TopologyException.class);
    }
}
