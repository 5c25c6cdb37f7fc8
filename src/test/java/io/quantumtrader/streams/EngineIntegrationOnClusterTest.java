package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link EngineIntegrationTest} on a Redis Cluster (3 masters): same tests, same expectations. */
class EngineIntegrationOnClusterTest extends EngineIntegrationTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
