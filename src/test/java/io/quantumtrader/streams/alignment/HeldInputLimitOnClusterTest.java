package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link HeldInputLimitTest} on a Redis Cluster (3 masters): its reads are {@code read-group.lua}, which a paused input
 * is left out of (its keys, deleted-unread hashes and dead-letter streams with it), and no input notifier wakes them.
 */
@OnConformanceCluster
class HeldInputLimitOnClusterTest extends HeldInputLimitTest {
}
