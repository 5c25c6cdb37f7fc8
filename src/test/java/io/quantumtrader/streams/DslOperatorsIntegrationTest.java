package io.quantumtrader.streams;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Branched;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.RedisTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Each DSL operator running on Redis. */
class DslOperatorsIntegrationTest {

    @Test
    void splitMergeFlatMapPeekAndTransform() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        List<EventPublisher.Event> in = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            in.add(new EventPublisher.Event("ticks", "S" + (i % 3), new Tick("S" + (i % 3), i, i), 1_000L * i));
        }
        publisher.sendAll(Flux.fromIterable(in), 10).block();

        AtomicInteger peeked = new AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("dsl");
        Map<String, EventStream<String, Tick>> branches = b.stream("ticks", Tick.class)
                .peek((k, t) -> peeked.incrementAndGet(), Named.as("count-in"))
                .split(Named.as("size-"))
                .branch((k, t) -> t.price() >= 20, Branched.as("big"))
                .branch((k, t) -> t.price() >= 10, Branched.withConsumer(s -> s.to("medium"), "medium"))
                .defaultBranch(Branched.as("small"));
        assertThat(branches).containsOnlyKeys("size-big", "size-small");
        branches.get("size-big").to("big");
        branches.get("size-small")
                .flatMapValues(t -> List.of(t, t), Named.as("twice"))
                .merge(branches.get("size-big").filter((k, t) -> t.seq() % 2 == 0), Named.as("small-twice-and-even-big"))
                .mapValues(Tick::seq)
                .to("merged");
        branches.get("size-big")
                .flatMap((k, t) -> List.of(KeyValue.pair("all", t.seq())), Named.as("rekey"))
                .transform(flux -> flux.filter(r -> r.value() % 5 == 0).map(r -> r.withValue(r.value() * 100)),
                        Named.as("reactor-stage"))
                .to("fives");

        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns).withBatchSize(7),
                template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 30);
        }
        assertThat(peeked.get()).isEqualTo(30);
        assertThat(values(ns, "big", 0, Tick.class)).extracting(Tick::seq).containsExactly(
                20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
        assertThat(values(ns, "medium", 0, Tick.class)).extracting(Tick::seq).containsExactly(
                10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        // the merge keeps input order: small ticks (twice each) and even big ones, interleaved as they arrived
        assertThat(values(ns, "merged", 0, Long.class)).containsExactly(
                1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L, 6L, 6L, 7L, 7L, 8L, 8L, 9L, 9L, 20L, 22L, 24L, 26L, 28L, 30L);
        assertThat(values(ns, "fives", 0, Long.class)).containsExactly(2000L, 2500L, 3000L);
        assertThat(Envelope.fromFields(entries(ns, "fives", 0).get(0)).subject()).isEqualTo("all");
    }

    @Test
    void mapRekeysAndTheSinkRepartitionsByTheNewKey() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("by-parity", new StreamSpec("by-parity", null, 4, 0, null)));
        RedisTestSupport.publisher(ns, catalog).sendAll(EngineIntegrationTest.ticks(2, 10), 10).block();
        TopologyBuilder b = new TopologyBuilder("rekey");
        b.stream("ticks", Tick.class)
                .map((k, t) -> KeyValue.pair(t.seq() % 2 == 0 ? "even" : "odd", t.seq()))
                .to("by-parity");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog), template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 20);
        }
        Map<String, List<Long>> bySubject = new java.util.HashMap<>();
        for (int p = 0; p < 4; p++) {
            for (Map<String, String> f : entries(ns, "by-parity", p)) {
                Envelope e = Envelope.fromFields(f);
                assertThat(Partitioner.partition(e.subject(), 4)).as("partition of %s", e.subject()).isEqualTo(p);
                bySubject.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(Long.parseLong(e.data()));
            }
        }
        assertThat(bySubject.get("even")).containsExactly(2L, 2L, 4L, 4L, 6L, 6L, 8L, 8L, 10L, 10L);
        assertThat(bySubject.get("odd")).containsExactly(1L, 1L, 3L, 3L, 5L, 5L, 7L, 7L, 9L, 9L);
    }

    @Test
    void refusesToStartWhenStreamsReadTogetherAreNotCoPartitioned() {
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("a", new StreamSpec("a", null, 2, 0, null), "b", new StreamSpec("b", null, 3, 0, null)));
        TopologyBuilder b = new TopologyBuilder("copart");
        b.stream("a", Tick.class).merge(b.stream("b", Tick.class)).to("c");
        StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults()
                .withNamespace(RedisTestSupport.freshNamespace()).withCatalog(catalog), template());
        assertThatThrownBy(runtime::start).isInstanceOf(TopologyException.class)
                .hasMessageContaining("'a' (2 partitions) and 'b' (3 partitions)");
    }
}
