package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;

/**
 * One Redis Cluster (3 masters, started on first use, stopped when the test JVM exits) on which the engine's
 * conformance test classes run a second time: each {@code ...OnClusterTest} extends a conformance test and, annotated
 * {@link OnConformanceCluster}, switches {@link RedisTestSupport} to this cluster for its duration.
 */
public final class ConformanceCluster {

    private static TestCluster cluster;
    private static RedisConnection connection;

    private ConformanceCluster() {
    }

    /** Points {@link RedisTestSupport} at the shared cluster (started on first use). */
    public static synchronized void use() {
        if (cluster == null) {
            cluster = TestCluster.start(3, 0);
            connection = cluster.connect();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                connection.close();
                cluster.close();
            }));
        }
        RedisTestSupport.use(connection);
    }

    /** Points {@link RedisTestSupport} back at the embedded Redis. */
    public static void release() {
        RedisTestSupport.use(null);
    }
}
