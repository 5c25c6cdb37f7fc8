package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/** {@link CrashRecoveryTest} on a Redis Cluster (3 masters): same tests, same expectations. */
@OnConformanceCluster
class CrashRecoveryOnClusterTest extends CrashRecoveryTest {
}
