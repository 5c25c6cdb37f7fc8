package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/** {@link PunctuationTest} on a Redis Cluster (3 masters): same tests, same expectations. */
@OnConformanceCluster
class PunctuationOnClusterTest extends PunctuationTest {
}
