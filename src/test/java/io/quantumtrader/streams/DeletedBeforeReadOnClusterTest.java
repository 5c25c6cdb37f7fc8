package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/** {@link DeletedBeforeReadTest} on a Redis Cluster (3 masters; reads are {@code read-group.lua}): same expectations. */
@OnConformanceCluster
class DeletedBeforeReadOnClusterTest extends DeletedBeforeReadTest {
}
