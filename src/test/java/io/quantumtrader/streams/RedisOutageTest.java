package io.quantumtrader.streams;

import io.micrometer.core.instrument.Gauge;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.app.StreamsHealthIndicator;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Flux;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background loops that never die (issue 8): Redis is stopped for 5 s in the middle of a run and started again with
 * its data (append-only file). Lag gauges return to the truth, health is DOWN during the outage (not an HTTP 500) and
 * UP after it, awaitDrained waits through it instead of aborting, and the run completes with every output once.
 */
public class RedisOutageTest {

    private RedisServer server;
    private RedisConnection connection;

    /** @return a Redis on loopback at {@code port} that keeps its data in an append-only file in {@code dir} (restartable) */
    public static RedisServer redisServer(int port, Path dir) {
        return RedisServer.builder().bind("127.0.0.1").port(port)
                .setting("dir " + dir.toAbsolutePath())
                .setting("appendonly yes")
                .setting("appendfsync always")
                .setting("save \"\"")
                .build();
    }

    @AfterEach
    void stopRedis() {
        stop(connection, server);
    }

    /** Closes the test's connection, then stops its Redis (either may be null: the test failed before it was made). */
    public static void stop(RedisConnection connection, RedisServer server) {
        if (connection != null) {
            connection.factory().destroy();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void loopsSurviveAFiveSecondRedisOutageAndTheRunCompletes() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("redis-outage");
        server = redisServer(port, dir);
        server.start();
        connection = RedisConnection.of("redis://127.0.0.1:" + port);
        var redis = connection.template();
        String ns = "outage";
        int keys = 24;
        int perKey = 150;
        new io.quantumtrader.streams.redis.EventPublisher(redis, new io.quantumtrader.streams.redis.StreamKeys(ns),
                ScaleOutTopology.CATALOG, "test").sendAll(Flux.fromIterable(ScaleOutTopology.events(keys, perKey)), 256).block();

        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("survivor")
                .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
        StreamsHealth health = new StreamsHealth(ScaleOutTopology.build("none"), config, redis, StreamsHealth.Thresholds.defaults(), null);
        StreamsHealthIndicator indicator = new StreamsHealthIndicator(health);
        try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:2000"), config, redis)) { // ~2 ms per record
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() > 200 && lagGauges(runtime) > 0);

            server.stop(); // Redis goes away in the middle of the run ...
            long stopped = System.nanoTime();
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> runtime.awaitDrained(Duration.ofSeconds(90)));
            assertThat(indicator.health().block().getStatus()).as("health while Redis is away").isEqualTo(Status.DOWN);
            Thread.sleep(Math.max(0, 5_000 - (System.nanoTime() - stopped) / 1_000_000));
            assertThat(drained).as("awaitDrained waits through the outage").isNotDone();
            server = redisServer(port, dir); // ... and comes back with its data
            server.start();

            assertThat(drained.get()).as("the run completes after the outage").isTrue();
            assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
            assertThat(ScaleOutTopology.checkSequences(redis, ns, perKey)).as("every output once, in order").isEmpty();
            assertThat(ScaleOutTopology.outputCount(redis, ns)).isEqualTo((long) keys * perKey);
            // the loops noticed the outage, kept going, and the gauges show the truth again
            assertThat(runtime.metrics().registry().find("qt.streams.job.failures").functionCounters().stream()
                    .mapToDouble(c -> c.count()).sum()).isPositive();
            await().atMost(StreamsRuntime.LAG_REFRESH.plusSeconds(10)).until(() -> lagGauges(runtime) == 0 && pendingGauges(runtime) == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> indicator.health().block().getStatus().equals(Status.UP));
        }
    }

    private static double lagGauges(StreamsRuntime runtime) {
        return runtime.metrics().registry().find("qt.streams.consumer.lag").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    private static double pendingGauges(StreamsRuntime runtime) {
        return runtime.metrics().registry().find("qt.streams.consumer.pending").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    /** @return a loopback port free a moment ago */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
