package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link MembershipRenewRaceTest} on a Redis Cluster (3 masters): the members sorted set and a member's details are in
 * different slots, and the details are forgotten by a script on the details hash alone.
 */
@OnConformanceCluster
class MembershipRenewRaceOnClusterTest extends MembershipRenewRaceTest {
}
