package io.quantumtrader.streams.dsl;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Found in review of this session's fixes (2026-12-07, 5fd89c92): withRetention on a global table is refused, as on a
 * key-value table (it was still ignored without a word).
 */
class GlobalTableRetentionTest {

    @Test
    void retentionOnAGlobalTableIsRefused() {
        TopologyBuilder b = new TopologyBuilder("app");
        assertThatThrownBy(() -> b.globalTable("in", String.class,
                Materialized.as("g", String.class).withRetention(Duration.ofHours(1))))
                .isInstanceOf(TopologyException.class);
    }
}
