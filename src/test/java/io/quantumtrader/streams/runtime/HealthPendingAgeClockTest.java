package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pending entry's age in the health check is measured by Redis' clock, the one its id comes from. Found in review
 * (2026-12-07): it was this host's clock minus the id's ms, so a pod whose clock ran a minute ahead of Redis saw every
 * pending entry a minute old, over the 60 s threshold: OUT_OF_SERVICE while nothing was wrong.
 */
class HealthPendingAgeClockTest {

    @Test
    void aHostClockAheadOfRedisDoesNotAgePendingEntries() {
        String ns = RedisTestSupport.freshNamespace();
        String ticks = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(RedisTestSupport.template()).ensureGroup(ticks, "pricing.0").block();
        RedisTestSupport.template().opsForStream().add(MapRecord.create(ticks, Map.of("id", "e1", "data", "{}"))).block();
        RedisTestSupport.template().opsForStream().read(Consumer.from("pricing.0", "elsewhere"),
                StreamOffset.create(ticks, ReadOffset.lastConsumed())).blockLast();   // pending, just read
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("pricing");
        b.stream("ticks", String.class, io.quantumtrader.streams.dsl.Named.as("ticks-in")).to("priced");
        StreamsHealth health = new StreamsHealth(b.build(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults()), RedisTestSupport.template(),
                StreamsHealth.Thresholds.defaults(), null)
                .withHostClock(() -> System.currentTimeMillis() + 120_000);   // this host two minutes ahead of Redis

        StreamsHealth.Report report = health.check().block(Duration.ofSeconds(10));
        Map<String, Object> source = report.sources().get("pricing.0/ticks/0");
        assertThat((Long) source.get("oldestPendingAgeMs")).as("%s", report).isLessThan(60_000);
        assertThat(report.problems()).noneMatch(p -> p.contains("oldest pending"));
    }

    /**
     * The runtime's lag readings (the {@code consumer.oldest.pending.age.seconds} gauge, a run's "not drained" lines)
     * age pending entries by Redis' clock too (found in review, 2026-12-07: by this host's, so the gauge and the health
     * check disagreed on a pod whose clock drifted).
     */
    @Test
    void theRuntimesLagReadingsAgePendingEntriesByRedisClockToo() {
        String ns = RedisTestSupport.freshNamespace();
        String ticks = new StreamKeys(ns).stream("ticks", 0);
        String group = StreamKeys.group("pricing", 0);
        new StreamAdmin(RedisTestSupport.template()).ensureGroup(ticks, group).block();
        RedisTestSupport.template().opsForStream().add(MapRecord.create(ticks, Map.of("id", "e1", "data", "{}"))).block();
        RedisTestSupport.template().opsForStream().read(Consumer.from(group, "elsewhere"),
                StreamOffset.create(ticks, ReadOffset.lastConsumed())).blockLast();   // pending, just read
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("pricing");
        b.stream("ticks", String.class, io.quantumtrader.streams.dsl.Named.as("ticks-in")).to("priced");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults()), RedisTestSupport.template())
                .withHostClock(() -> System.currentTimeMillis() + 120_000)) {   // this host two minutes ahead of Redis
            java.util.List<SourceLag> lags = runtime.lag().block(Duration.ofSeconds(10));
            assertThat(lags).singleElement().satisfies(l -> {
                assertThat(l.pending()).isEqualTo(1);
                assertThat(l.oldestPendingAgeMs()).as("%s", l).isLessThan(60_000);
            });
        }
    }
}
