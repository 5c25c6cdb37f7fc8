package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DeletedBeforeReadTest} on a Redis Cluster (3 masters; reads are {@code read-group.lua}): same expectations. */
class DeletedBeforeReadOnClusterTest extends DeletedBeforeReadTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
