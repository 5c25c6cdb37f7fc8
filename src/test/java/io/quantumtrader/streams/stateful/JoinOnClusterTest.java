package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link JoinTest} on a Redis Cluster (3 masters): same tests, same expectations. */
class JoinOnClusterTest extends JoinTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
