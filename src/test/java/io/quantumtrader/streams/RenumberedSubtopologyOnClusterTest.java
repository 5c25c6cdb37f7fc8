package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link RenumberedSubtopologyTest} on a Redis Cluster (3 masters): the groups' recorded sources are read with the
 * groups and written with their creation, each in the stream partition's slot; same expectations.
 */
@OnConformanceCluster
class RenumberedSubtopologyOnClusterTest extends RenumberedSubtopologyTest {
}
