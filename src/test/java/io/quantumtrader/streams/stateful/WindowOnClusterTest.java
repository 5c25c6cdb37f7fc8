package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link WindowTest} on a Redis Cluster (3 masters): same tests, same expectations. */
class WindowOnClusterTest extends WindowTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
