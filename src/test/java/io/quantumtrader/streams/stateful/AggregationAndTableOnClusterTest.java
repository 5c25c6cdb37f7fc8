package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/** {@link AggregationAndTableTest} on a Redis Cluster (3 masters): same tests, same expectations. */
@OnConformanceCluster
class AggregationAndTableOnClusterTest extends AggregationAndTableTest {
}
