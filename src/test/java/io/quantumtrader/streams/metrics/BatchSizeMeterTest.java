package io.quantumtrader.streams.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code qt.streams.task.batch.size} describes the batches of input entries: a commit of none (a punctuation's, a hold
 * mark's) is timed, not counted as a batch of 0. Found in review (2026-12-07): such commits diluted "input entries per
 * committed batch".
 */
class BatchSizeMeterTest {

    @Test
    void aCommitOfNoInputIsTimedButIsNoBatch() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsMetrics metrics = new StreamsMetrics(registry, "app");
        metrics.commit("0_0", 0, 1_000_000);
        metrics.commit("0_0", 500, 2_000_000);
        metrics.commit("0_0", 0, 1_000_000);
        DistributionSummary batches = registry.get("qt.streams.task.batch.size").tag("task", "0_0").summary();
        assertThat(batches.count()).isEqualTo(1);
        assertThat(batches.mean()).isEqualTo(500);
        assertThat(registry.get("qt.streams.task.commit").tag("task", "0_0").timer().count()).isEqualTo(3);
    }
}
