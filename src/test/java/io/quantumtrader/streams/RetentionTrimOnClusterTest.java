package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link RetentionTrimTest} on a Redis Cluster (3 masters): {@code trim-retention.lua} reads Redis' clock ({@code TIME})
 * and then writes (the arrival marks, XTRIM), which a cluster's replicas get as effects.
 */
@OnConformanceCluster
class RetentionTrimOnClusterTest extends RetentionTrimTest {
}
