package io.quantumtrader.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauges a health check publishes ({@code qt.streams.group.lag}, {@code .pending},
 * {@code .consumers.live}, {@code .consumers.stale}, {@code qt.streams.stream.ungrouped.entries}) keep the value of
 * the last check that succeeded for as long as checks fail (Redis down or slower than the check's timeout): a
 * dashboard or an alert on another application's backlog saw the last reading as the present, for ever (found in
 * review, 2026-12-07: {@code StreamsHealth.check()} published and removed gauges only in {@code report(...)}, which a
 * failed check never reaches). Now NaN after 3 failed checks in a row, as the lag gauges ({@code qt.streams.consumer.*},
 * {@code StaleLagGaugesTest}), and a reading again once a check succeeds.
 */
class HealthGaugesDuringOutageTest {

    private RedisServer server;
    private RedisConnection connection;

    @AfterEach
    void stop() {
        RedisOutageTest.stop(connection, server);
    }

    @Test
    void groupGaugesDoNotShowTheLastReadingAsThePresentWhileChecksFail() throws Exception {
        int port = RedisOutageTest.freePort();
        Path dir = Files.createTempDirectory("health-gauges-outage");
        server = RedisOutageTest.redisServer(port, dir);
        server.start();
        connection = RedisConnection.of("redis://127.0.0.1:" + port);
        var redis = connection.template();
        String ns = "hgo";
        StreamCatalog catalog = StaleHealthGaugesTest.CATALOG;
        new io.quantumtrader.streams.redis.EventPublisher(redis, new StreamKeys(ns), catalog, "test")
                .sendAll(Flux.range(0, 7).map(i -> new io.quantumtrader.streams.redis.EventPublisher.Event("orders",
                        "O" + i, i, 1_700_000_000_000L + i)), 7).block();
        StreamAdmin admin = new StreamAdmin(redis);
        admin.ensureGroup(new StreamKeys(ns).stream("orders", 0), "billing.0").block();   // another application's group
        admin.ensureGroup(new StreamKeys(ns).stream("ticks", 0), "pricing.0").block();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StreamsHealth health = new StreamsHealth(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog), redis,
                StreamsHealth.Thresholds.defaults(), null).withMeters(meters);

        health.check().block(Duration.ofSeconds(10));
        assertThat(meters.get("qt.streams.group.lag").tag("group", "billing.0").gauge().value()).isEqualTo(7);

        server.stop();   // Redis goes away: every check fails from now on
        int failed = 0;
        for (int i = 0; i < 4; i++) {
            try {
                health.check().block(Duration.ofSeconds(3));
            } catch (RuntimeException e) {
                failed++;
            }
        }
        assertThat(failed).as("every check failed while Redis was down").isEqualTo(4);

        for (Gauge g : meters.find("qt.streams.group.lag").tag("group", "billing.0").gauges()) {
            assertThat(g.value()).as("qt.streams.group.lag of billing.0 after 4 failed health checks in a row (Redis "
                    + "down): the last reading (7) is shown as the present; expected NaN (not known) or no series, as "
                    + "qt.streams.consumer.lag does").isNaN();
        }

        server.start();   // back, with its data (append-only file): the next check that succeeds reads the lag again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            health.check().block(Duration.ofSeconds(3));
            assertThat(meters.get("qt.streams.group.lag").tag("group", "billing.0").gauge().value()).isEqualTo(7);
        });
    }
}
