package io.quantumtrader.app;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeats go to system.health.heartbeat; a status change raises an alert on system.alert.triggered. */
class HeartbeatPublisherTest {

    @Test
    void publishesHeartbeatsAndAlertsOnStatusChanges() {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("hb");
        b.stream("ticks", Tick.class).to("out");
        Topology topology = b.build();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        var publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        StreamsRuntime runtime = new StreamsRuntime(topology, config, RedisTestSupport.template());
        StreamsHealth health = new StreamsHealth(topology, config, RedisTestSupport.template(),
                new StreamsHealth.Thresholds(5, Duration.ofMinutes(1), 5, Duration.ofMinutes(5)), runtime::state);
        HeartbeatPublisher heartbeat = new HeartbeatPublisher(runtime,  health,
                new io.quantumtrader.streams.redis.EventPublisher(RedisTestSupport.template(), new StreamKeys(ns),
                        StreamCatalog.defaults(), "test-instance"), Duration.ofSeconds(30));

        new io.quantumtrader.streams.redis.StreamAdmin(RedisTestSupport.template()).ensureGroup(new StreamKeys(ns).stream("ticks", 0), "hb.0").block();
        for (int i = 0; i < 10; i++) {
            publisher.send("ticks", "A", new Tick("A", 1 + i, i), i).block();   // 10 unread > max lag 5: OUT_OF_SERVICE
        }
        heartbeat.beat().block();
        try (runtime) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
            heartbeat.beat().block();
            heartbeat.beat().block();
        }

        List<HeartbeatPublisher.Heartbeat> beats = RedisTestSupport.entries(ns, "system.health.heartbeat", 0).stream()
                .map(f -> new JsonSerde<>(HeartbeatPublisher.Heartbeat.class).deserialize(Envelope.fromFields(f).data())).toList();
        assertThat(beats).extracting(HeartbeatPublisher.Heartbeat::status).containsExactly("DOWN", "UP", "UP");
        assertThat(beats.get(0).problems()).anyMatch(p -> p.contains("lag 10 > 5"));
        assertThat(beats.get(2).recordsIn()).isEqualTo(10);
        List<HeartbeatPublisher.Alert> alerts = RedisTestSupport.entries(ns, "system.alert.triggered", 0).stream()
                .map(f -> new JsonSerde<>(HeartbeatPublisher.Alert.class).deserialize(Envelope.fromFields(f).data())).toList();
        assertThat(alerts).extracting(HeartbeatPublisher.Alert::severity).containsExactly("CRITICAL", "INFO");
        assertThat(alerts.get(0).message()).isEqualTo("streams health UP -> DOWN");
    }
    /**
     * {@code qt.streams.job.failures{background.job=heartbeat.publish}} counts the failures of every start's job: before
     * (2026-12-06) each start registered the counter again, Micrometer kept the first registration, and after a
     * stop/start it stayed bound to the first job (its count frozen while the second failed). The heartbeat stream's
     * key holds a string, so every heartbeat fails (WRONGTYPE).
     */
    @Test
    void theFailureCounterCountsTheJobOfEachStart() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("hb-restart");
        b.stream("ticks", Tick.class).to("out");
        Topology topology = b.build();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        StreamsRuntime runtime = new StreamsRuntime(topology, config, RedisTestSupport.template());
        StreamsHealth health = new StreamsHealth(topology, config, RedisTestSupport.template(),
                new StreamsHealth.Thresholds(5, Duration.ofMinutes(1), 5, Duration.ofMinutes(5)), runtime::state);
        for (int p = 0; p < StreamCatalog.defaults().spec("system.health.heartbeat").partitions(); p++) {
            RedisTestSupport.template().opsForValue().set(new StreamKeys(ns).stream("system.health.heartbeat", p), "not a stream").block();
        }
        try {
            HeartbeatPublisher heartbeat = new HeartbeatPublisher(runtime, health,
                    new io.quantumtrader.streams.redis.EventPublisher(RedisTestSupport.template(), new StreamKeys(ns),
                            StreamCatalog.defaults(), "test-instance"), Duration.ofMillis(50));
            java.util.function.DoubleSupplier failures = () -> runtime.metrics().registry().get("qt.streams.job.failures")
                    .tag(io.quantumtrader.streams.metrics.StreamsMetrics.BACKGROUND_JOB_TAG, "heartbeat.publish").functionCounter().count();
            heartbeat.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> failures.getAsDouble() >= 2);
            heartbeat.stop();
            double afterFirst = failures.getAsDouble();
            heartbeat.start();
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failures.getAsDouble() >= afterFirst + 2);
            } finally {
                heartbeat.stop();
            }
            assertThat(runtime.metrics().registry().find("qt.streams.job.failures").tag(io.quantumtrader.streams.metrics.StreamsMetrics.BACKGROUND_JOB_TAG, "heartbeat.publish")
                    .functionCounters()).hasSize(1);
        } finally {
            runtime.close();
        }
    }

    /**
     * An alert whose publishing failed is published at the next heartbeat: the status change is remembered only once
     * its alert is in {@code system.alert.triggered}. Before (review 2026-12-06) the new status was taken as announced
     * before the alert was sent, so one failed XADD (here: the alert stream's key holds a string, WRONGTYPE) lost the
     * CRITICAL alert for good while the status stayed DOWN.
     */
    @Test
    void anAlertThatFailedIsPublishedAtTheNextHeartbeat() {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("hb-alert");
        b.stream("ticks", Tick.class).to("out");
        Topology topology = b.build();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        StreamKeys keys = new StreamKeys(ns);
        StreamsRuntime runtime = new StreamsRuntime(topology, config, RedisTestSupport.template());
        StreamsHealth health = new StreamsHealth(topology, config, RedisTestSupport.template(),
                new StreamsHealth.Thresholds(5, Duration.ofMinutes(1), 5, Duration.ofMinutes(5)), runtime::state);
        HeartbeatPublisher heartbeat = new HeartbeatPublisher(runtime, health,
                new io.quantumtrader.streams.redis.EventPublisher(RedisTestSupport.template(), keys,
                        StreamCatalog.defaults(), "test-instance"), Duration.ofSeconds(30));
        new io.quantumtrader.streams.redis.StreamAdmin(RedisTestSupport.template()).ensureGroup(keys.stream("ticks", 0), "hb-alert.0").block();
        var publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        for (int i = 0; i < 10; i++) {
            publisher.send("ticks", "A", new Tick("A", 1 + i, i), i).block();   // lag and no live consumer: DOWN
        }
        int alertPartitions = StreamCatalog.defaults().spec("system.alert.triggered").partitions();
        try {
            for (int p = 0; p < alertPartitions; p++) {
                RedisTestSupport.template().opsForValue().set(keys.stream("system.alert.triggered", p), "not a stream").block();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> heartbeat.beat().block()).rootCause().hasMessageContaining("WRONGTYPE");
            for (int p = 0; p < alertPartitions; p++) {
                RedisTestSupport.template().delete(keys.stream("system.alert.triggered", p)).block();
            }
            heartbeat.beat().block();   // still DOWN: the CRITICAL alert is published now

            List<HeartbeatPublisher.Alert> alerts = RedisTestSupport.entries(ns, "system.alert.triggered", 0).stream()
                    .map(f -> new JsonSerde<>(HeartbeatPublisher.Alert.class).deserialize(Envelope.fromFields(f).data())).toList();
            assertThat(alerts).extracting(HeartbeatPublisher.Alert::severity).containsExactly("CRITICAL");
            assertThat(alerts.get(0).message()).isEqualTo("streams health UP -> DOWN");
        } finally {
            runtime.close();
        }
    }
}
