package io.quantumtrader.trader;

import io.quantumtrader.streams.cluster.OnConformanceCluster;

/**
 * {@link TradingTopologyOnRedisTest} on a Redis Cluster (3 masters): the symbol's market data, the account's portfolio
 * and the repartition streams between them on partitions in different slots, the kill switch's global table read
 * across the cluster; same expectations (the test driver's outputs).
 */
@OnConformanceCluster
class TradingTopologyOnClusterTest extends TradingTopologyOnRedisTest {
}
