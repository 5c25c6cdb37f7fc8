package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link EventTimeAlignmentTest} on a Redis Cluster (3 masters): one partition per stream, so every output partition is
 * in the producing task's slot and its watermark goes with the commit (the cross-slot case is a documented gap).
 */
class EventTimeAlignmentOnClusterTest extends EventTimeAlignmentTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
