package io.quantumtrader.streams;

import io.quantumtrader.streams.cluster.ConformanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link DeadLetterTest} on a Redis Cluster (3 masters): same tests, same expectations. */
class DeadLetterOnClusterTest extends DeadLetterTest {

    @BeforeAll
    static void onCluster() {
        ConformanceCluster.use();
    }

    @AfterAll
    static void offCluster() {
        ConformanceCluster.release();
    }
}
