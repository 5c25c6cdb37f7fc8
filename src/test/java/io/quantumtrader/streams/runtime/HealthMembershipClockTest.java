package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, scaling): the health check judged whether a consumer of this topology's group is a live member by comparing
 * the membership score (an expiry written by membership.lua in Redis' clock, TIME) with this host's clock. After a
 * scale-out the task of a partition runs on another pod; a pod whose clock is more than the lease TTL (10 s) ahead of
 * Redis sees that pod's live consumer as dead and reports DOWN ("no live consumer") although the task runs fine.
 * Pending ages were moved to Redis' clock (HealthPendingAgeClockTest); membership expiries were not, until now.
 */
class HealthMembershipClockTest {

    @Test
    void aLiveMemberOwningThePartitionIsLiveWhateverThisHostsClock() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String ticks = keys.stream("ticks", 0);
        String group = StreamKeys.group("pricing", 0);
        new StreamAdmin(RedisTestSupport.template()).ensureGroup(ticks, group).block();
        RedisTestSupport.template().opsForStream().add(MapRecord.create(ticks, Map.of("id", "e1", "data", "{}"))).block();
        // another pod ("pod-b", a live member, heartbeat just now with the default 10 s TTL, Redis' clock) owns the task
        // and has just read the entry: it is pending, in flight
        RedisTestSupport.template().execute(RedisScript.of(
                        "local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000); "
                                + "return redis.call('ZADD', KEYS[1], now + 10000, ARGV[1])", Long.class),
                List.of(keys.members()), List.of("pod-b")).blockLast();
        RedisTestSupport.template().opsForStream().read(Consumer.from(group, "pod-b"),
                StreamOffset.create(ticks, ReadOffset.lastConsumed())).blockLast();

        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("pricing");
        b.stream("ticks", String.class, io.quantumtrader.streams.dsl.Named.as("ticks-in")).to("priced");
        StreamsHealth health = new StreamsHealth(b.build(),
                StreamsConfig.defaults().withNamespace(ns).withInstanceId("pod-a").withCatalog(StreamCatalog.defaults()),
                RedisTestSupport.template(), StreamsHealth.Thresholds.defaults(), () -> RuntimeState.RUNNING)
                .withHostClock(() -> System.currentTimeMillis() + 30_000);   // this pod's clock 30 s ahead of Redis

        StreamsHealth.Report report = health.check().block(Duration.ofSeconds(10));
        Map<String, Object> source = report.sources().get("pricing.0/ticks/0");
        assertThat(source.get("liveConsumers")).as("pod-b is a live member: %s", report).isEqualTo(1L);
        assertThat(report.problems()).as("%s", report).noneMatch(p -> p.contains("no live consumer"));
        assertThat(report.status()).as("%s", report).isEqualTo(StreamsHealth.Status.UP);
    }
}
