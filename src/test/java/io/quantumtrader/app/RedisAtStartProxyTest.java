package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Found in review of 6a793d27 (RedisAtStart, 2026-12-07): failures of a Redis not there yet that failed at once. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisAtStartProxyTest {

    /**
     * A Redis Cluster whose nodes are all down (restarting) is not waited for: Lettuce reports the node failures as
     * suppressed exceptions of "Cannot retrieve cluster partitions", not as causes, and notThereYet walks causes only.
     */
    @Test
    void aClusterNotThereYetIsWaitedFor() throws Exception {
        RedisTarget cluster = RedisTarget.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "127.0.0.1:" + ReplayFixture.freePort()));
        List<String> warnings = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> RedisAtStart.connect(cluster, Duration.ofMillis(1_200), warnings::add, d -> Thread.sleep(d.toMillis())))
                .isInstanceOf(CliException.class);
        assertThat(warnings).as("a cluster with nothing listening yet is waited for, as a single server is").isNotEmpty();
    }

    /**
     * A listener that accepts and closes at once (docker-proxy or a mesh sidecar in front of a Redis not listening yet,
     * a Redis shutting down) is "not there yet", but RedisAtStart fails at once on its "Connection reset" / "closed
     * prematurely".
     */
    @Test
    void aConnectionClosedByAProxyBeforeRedisIsUpIsWaitedFor() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try (Socket s = proxy.accept()) {
                        s.setSoLinger(true, 0);   // RST, as a proxy with no upstream
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RedisTarget target = RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:" + proxy.getLocalPort()));
            List<String> warnings = new CopyOnWriteArrayList<>();
            Throwable thrown = null;
            try (RedisConnection ignored = RedisAtStart.connect(target, Duration.ofMillis(1_200), warnings::add, d -> Thread.sleep(d.toMillis()))) {
                // not expected
            } catch (CliException e) {
                thrown = e;
            }
            assertThat(thrown).isNotNull();
            assertThat(warnings).as("failed at once with: %s", thrown.getMessage()).isNotEmpty();
        }
    }
}
