package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link EventTimeAlignmentTest} on a Redis Cluster (3 masters): one partition per stream, so every output partition is
 * in the producing task's slot and its watermark goes with the commit (the cross-slot case is a documented gap).
 */
@OnConformanceCluster
class EventTimeAlignmentOnClusterTest extends EventTimeAlignmentTest {
}
