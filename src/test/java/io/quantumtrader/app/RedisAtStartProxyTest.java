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
     * Ends the wait at its first pause (RedisAtStart gives up when its sleep is interrupted): whether the failure is
     * waited for shows in its warning, however long the first attempt takes (a first connection in a fresh JVM took
     * more than the 1.2 s limit these tests had, and the test failed though the failure was one to wait for)
     */
    static final RedisAtStart.Sleeper STOP_AT_FIRST_WAIT = d -> {
        throw new InterruptedException("the test saw the wait");
    };

    @org.junit.jupiter.api.AfterEach
    void clearInterrupt() {
        Thread.interrupted();   // RedisAtStart re-asserts the interrupt it was given
    }

    /**
     * A Redis Cluster whose nodes are all down (restarting) is not waited for: Lettuce reports the node failures as
     * suppressed exceptions of "Cannot retrieve cluster partitions", not as causes, and notThereYet walks causes only.
     */
    @Test
    void aClusterNotThereYetIsWaitedFor() throws Exception {
        RedisTarget cluster = RedisTarget.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "127.0.0.1:" + ReplayFixture.freePort()));
        List<String> warnings = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> RedisAtStart.connect(cluster, Duration.ofSeconds(60), warnings::add, STOP_AT_FIRST_WAIT))
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
            try (RedisConnection ignored = RedisAtStart.connect(target, Duration.ofSeconds(60), warnings::add, STOP_AT_FIRST_WAIT)) {
                // not expected
            } catch (CliException e) {
                thrown = e;
            }
            assertThat(thrown).isNotNull();
            assertThat(warnings).as("failed at once with: %s", thrown.getMessage()).isNotEmpty();
        }
    }

    /**
     * The same close, when it comes before Lettuce's handshake began: "RedisHandshakeHandler not registered" (CI,
     * 2026-12-07: {@link #aConnectionClosedByAProxyBeforeRedisIsUpIsWaitedFor} failed at once on it, 1 run in 4).
     */
    @Test
    void aCloseBeforeTheHandshakeBeganIsNotThereYet() {
        Throwable closed = new io.lettuce.core.RedisConnectionException("Unable to connect to 127.0.0.1:6390",
                new io.lettuce.core.RedisConnectionException("RedisHandshakeHandler not registered"));
        assertThat(RedisAtStart.notThereYet(closed)).isTrue();
    }
}
