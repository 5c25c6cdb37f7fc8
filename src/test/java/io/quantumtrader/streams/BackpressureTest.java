package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No demand, no read: what is read from Redis is bounded by what downstream requested. */
class BackpressureTest {

    @Test
    void readerReadsOnlyWhatTheSubscriberRequested() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String key = keys.stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "g").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 500), 32).block();

        PartitionReader reader = new PartitionReader(template(), "g", "c1", Map.of(key, "ticks"), 0, 100,
                Duration.ofMillis(1), Duration.ofMillis(10));
        StreamAdmin admin = new StreamAdmin(template());

        StepVerifier.create(reader.receive(), 0)
                .thenRequest(5)
                .expectNextCount(5)
                .then(() -> {
                    assertThat(reader.entriesRead()).isEqualTo(5);
                    assertThat(admin.pendingCount(key, "g").block()).as("delivered to the group").isEqualTo(5);
                })
                .thenRequest(150)
                .expectNextCount(150)
                .then(() -> {
                    assertThat(reader.entriesRead()).isEqualTo(155);
                    assertThat(reader.reads()).as("one read of the (empty) PEL, then COUNT capped by the batch size: 5 + 100 + 50")
                            .isEqualTo(4);
                    assertThat(reader.outstandingDemand()).isZero();
                    assertThat(admin.pendingCount(key, "g").block()).isEqualTo(155);
                })
                .then(reader::stop)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(reader.entriesRead()).isEqualTo(155);
    }

    @Test
    void aSlowStageBoundsWhatTheTaskReadsAhead() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(4, 250), 64).block();
        Sinks.Empty<Void> gate = Sinks.empty();
        CountDownLatch blocked = new CountDownLatch(1);

        TopologyBuilder b = new TopologyBuilder("slow");
        b.stream("ticks", Tick.class)
                .transform(flux -> flux.concatMap(r -> {
                    blocked.countDown();
                    return gate.asMono().then(Mono.just(r)); // the stage holds its first batch until the gate opens
                }), Named.as("slow-stage"))
                .to("out");
        int batch = 20;
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(batch);
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            StreamTask task = runtime.tasks().get(0);
            // one batch held in the stage, at most one read ahead, while 1000 entries are waiting
            assertThat(task.entriesRead()).isBetween((long) batch, 2L * batch);
            assertThat(runtime.counters().recordsIn()).isZero();

            gate.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() == 1000);
            assertThat(task.entriesRead()).isEqualTo(1000);
        }
        assertThat(RedisTestSupport.length(ns, "out", 0)).isEqualTo(1000);
    }
}
