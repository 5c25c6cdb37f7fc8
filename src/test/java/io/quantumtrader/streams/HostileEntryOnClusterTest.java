package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/** {@link HostileEntryTest} on a Redis Cluster (3 masters; reads are {@code read-group.lua}): same expectations. */
@OnConformanceCluster
class HostileEntryOnClusterTest extends HostileEntryTest {
}
