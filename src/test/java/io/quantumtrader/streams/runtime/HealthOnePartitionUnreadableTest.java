package io.quantumtrader.streams.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): StreamsHealth.check() read every stream partition one after the other (Flux.concat) and
 * failed as a whole at the first partition that could not be read (here: an ACL that denies partition 5, as a Redis Cluster node down does
 * for its slots). After 3 such checks every health gauge of every partition read NaN, and the report named nothing:
 * the flaw fixed for the lag gauges and the background passes (ResilientPass, LagGaugesPerSourceTest). Now the
 * partition is a finding naming it, and the others keep their readings.
 */
class HealthOnePartitionUnreadableTest {

    @Test
    void onePartitionThatCannotBeReadDoesNotBlankEveryHealthGauge() throws Exception {
        int port = RedisOutageTest.freePort();
        RedisServer server = RedisOutageTest.redisServer(port, Files.createTempDirectory("health-acl"));
        server.start();
        RedisConnection admin = RedisConnection.of("redis://127.0.0.1:" + port);
        RedisConnection limited = null;
        try {
            String ns = "acl";
            var redis = admin.template();
            new io.quantumtrader.streams.redis.EventPublisher(redis, new StreamKeys(ns), ScaleOutTopology.CATALOG, "test")
                    .sendAll(Flux.fromIterable(ScaleOutTopology.events(24, 5)), 64).block(Duration.ofSeconds(20));
            for (int p = 0; p < ScaleOutTopology.PARTITIONS; p++) {
                new StreamAdmin(redis).ensureGroup(new StreamKeys(ns).stream("events", p), "other.0").block(Duration.ofSeconds(10));
            }
            redis.execute(c -> c.serverCommands().getConfig("port")).blockLast(Duration.ofSeconds(5));
            admin.factory().getConnection().execute("ACL", "SETUSER".getBytes(), "lim".getBytes(), "on".getBytes(),
                    ">pw".getBytes(), "+@all".getBytes(), "&*".getBytes(), "~*".getBytes());
            limited = RedisConnection.of("redis://lim:pw@127.0.0.1:" + port);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            StreamsHealth health = new StreamsHealth(ScaleOutTopology.build("none"), StreamsConfig.defaults()
                    .withNamespace(ns).withCatalog(ScaleOutTopology.CATALOG), limited.template(),
                    StreamsHealth.Thresholds.defaults(), null).withMeters(meters);
            health.check().block(Duration.ofSeconds(10));   // every partition readable: gauges published
            assertThat(meters.find("qt.streams.group.lag").tag("group", "other.0").tag("partition", "0").gauge().value()).isNotNaN().isGreaterThan(0);
            // now partition 5 becomes unreadable (as a Redis Cluster node down for its slots)
            admin.factory().getConnection().execute("ACL", "SETUSER".getBytes(), "lim".getBytes(), "resetkeys".getBytes(),
                    ("~" + ns + ":members").getBytes(), ("~" + ns + ":{" + ns + ".[0-4]}:*").getBytes());
            String firstFailure = null;
            for (int i = 0; i < 3; i++) {
                try {
                    health.check().block(Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    firstFailure = firstFailure == null ? e + " <- " + CauseChain.root(e) : firstFailure;
                }
            }
            StreamsHealth.Report report = health.check().block(Duration.ofSeconds(10));
            // the topology reads events: a partition of it that cannot be read is a problem (its task cannot work either)
            assertThat(report.status()).isEqualTo(StreamsHealth.Status.DOWN);
            assertThat(report.problems()).as("the unreadable partition named").anyMatch(o -> o.startsWith("events/5: could not be read"));
            var gauge = meters.find("qt.streams.group.lag").tag("group", "other.0").tag("partition", "0").gauge();
            assertThat(gauge).as("qt.streams.group.lag of other.0 on partition 0 (readable); checks failed with: "
                    + firstFailure).isNotNull();
            assertThat(gauge.value()).as("lag of partition 0 after 3 checks in which only partition 5 was unreadable; "
                    + "checks failed with: " + firstFailure).isNotNaN().isGreaterThan(0);
        } finally {
            RedisOutageTest.stop(limited, null);
            RedisOutageTest.stop(admin, server);
        }
    }
}
