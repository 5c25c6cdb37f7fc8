package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile oversized entries (each far above max-entry-size, 64 KiB) on a link that moves 1 MB/s. The task's read asks
 * for a whole batch (2,000), so the first read of 40 entries of 256 KiB takes ~10 s and fails with
 * {@code PartitionReader.READ_TIMEOUT} (5 s). The restarted task reads cautiously (one entry, doubling), as after an
 * OutOfMemoryError, and dead-letters them. Found in review (2026-12-07): it re-read its pending entries with the same
 * count, which timed out again, for ever (11 restarts in two minutes): nothing dead-lettered, nothing after them
 * processed.
 */
class SlowOversizedReadTest {

    private static final int ENTRIES = 40;
    private static final int ENTRY_CHARS = 256 * 1024;

    @Test
    void oversizedEntriesOnASlowLinkAreDeadLetteredInsteadOfRestartingTheTaskForEver() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        String pad = "x".repeat(ENTRY_CHARS);
        for (int n = 1; n <= ENTRIES; n++) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("id", "huge-" + n);
            f.put("time", "2023-11-14T22:13:20Z");
            f.put("data", "{\"symbol\":\"A\",\"price\":1.5,\"seq\":" + n + ",\"pad\":\"" + pad + "\"}");
            template().opsForStream().add(MapRecord.create(key, f)).block();
        }
        DedupeLogTest.xadd(ns, "small-1", 1);   // a valid entry after them

        try (ThrottlingProxy proxy = new ThrottlingProxy(RedisTestSupport.redis().port(), 1_000_000);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             StreamsRuntime runtime = new StreamsRuntime(DedupeLogTest.topology(), StreamsConfig.defaults().withNamespace(ns),
                     slow.template())) {
            runtime.start();
            boolean drained = runtime.awaitDrained(Duration.ofSeconds(120));
            long restarts = runtime.counters().restarts();
            assertThat(drained).as("drained (the task restarted " + restarts + " times meanwhile)").isTrue();
            assertThat(runtime.counters().rejected()).as("oversized entries dead-lettered").isEqualTo(ENTRIES);
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).isEqualTo(1);
    }



    /** A loopback TCP proxy whose replies (Redis to client) flow at most {@code bytesPerSecond} per connection. */
    static final class ThrottlingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        ThrottlingProxy(int redisPort, long bytesPerSecond) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        sockets.add(client);
                        sockets.add(redis);
                        pump(client.getInputStream(), redis.getOutputStream(), 0);
                        pump(redis.getInputStream(), client.getOutputStream(), bytesPerSecond);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "throttling-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void pump(InputStream in, OutputStream out, long rate) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[rate == 0 ? 65536 : 8192];
                long start = System.nanoTime();
                long sent = 0;
                try {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                        if (rate > 0) {
                            sent += n;
                            long due = start + sent * 1_000_000_000L / rate;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } else if (wait < -100_000_000L) {
                                start = System.nanoTime();   // idle: no burst credit
                                sent = 0;
                            }
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            }, "throttling-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
