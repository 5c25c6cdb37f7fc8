package io.quantumtrader.streams.runtime;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.embedded.RedisServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis answering every command in 15 ms (a distant one) and a source stream of 64 partitions: the start succeeds.
 * Found in review (2026-12-06): the legacy-layout check sent its 64 XLENs one after the other under one attempt
 * timeout (500 ms here), so every attempt timed out and the start failed after its limit; now each XLEN is retried on
 * its own, 16 at a time ({@code LegacyKeyLayoutCheck}).
 */
@Timeout(60)
class StartupLatencyTest {

    /** Forwards to Redis, each reply chunk held for a fixed latency (a distant Redis). */
    static final class LatencyProxy implements AutoCloseable {
        final ServerSocket server;
        LatencyProxy(int redisPort, long latencyMs) throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket c = server.accept();
                        Socket r = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        pump(c.getInputStream(), r.getOutputStream(), 0);
                        pump(r.getInputStream(), c.getOutputStream(), latencyMs);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
        }
        static void pump(InputStream in, OutputStream out, long delay) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (delay > 0) Thread.sleep(delay);
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (Exception ignored) {
                }
            });
            t.setDaemon(true);
            t.start();
        }
        int port() { return server.getLocalPort(); }
        @Override public void close() throws Exception { server.close(); }
    }

    @Test
    void aRedisAnsweringEveryCommandIn15msStartsWithManyPartitions() throws Exception {
        int port = RedisOutageTest.freePort();
        RedisServer server = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").build();
        server.start();
        RedisConnection direct = RedisConnection.of("redis://127.0.0.1:" + port);
        try (LatencyProxy proxy = new LatencyProxy(port, 15);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            TopologyBuilder b = new TopologyBuilder("lat");
            b.stream("in", String.class).to("out");
            StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 64, 0, null), Map.of());
            StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace("lat").withCatalog(catalog),
                    slow.template()).withStartupRetry(new StartupRetry(Duration.ofMillis(500), Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofSeconds(6)));
                        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(runtime::start);
            runtime.close();
            // every command answered in ~15 ms, 30x under the 500 ms attempt timeout
            assertThat(failure).as("start should succeed").isNull();
        } finally {
            RedisOutageTest.stop(direct, server);
        }
    }
}
