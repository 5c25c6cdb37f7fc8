package io.quantumtrader.streams.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code qt.streams.backpressure.no.demand.seconds} is registered as a counter (Prometheus {@code _total}), but reads
 * the no-demand time of the task's <em>current</em> reader: a task restart (or a task handed back by a rebalance) makes
 * a new reader and the counter falls back to 0.
 */
class NoDemandCounterMonotonicTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of(
            "ticks", new StreamSpec("ticks", "symbol", 1, 0, null),
            "out", new StreamSpec("out", "symbol", 1, 0, null)));

    @Test
    void noDemandSecondsNeverGoesBackwardsAcrossATaskRestart() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(Flux.range(1, 200).map(i ->
                new EventPublisher.Event("ticks", "S", new Tick("S", 100 + i, i), 1_700_000_000_000L + i)), 50).block();
        Sinks.Empty<Void> gate = Sinks.empty();
        AtomicBoolean blockedOnce = new AtomicBoolean();
        TopologyBuilder b = new TopologyBuilder("nodemand");
        b.stream("ticks", Tick.class)
                .transform(flux -> flux.concatMap(r -> blockedOnce.compareAndSet(false, true)
                        ? gate.asMono().then(Mono.just(r)) : Mono.just(r)), Named.as("slow"))
                .to("out");
        Topology topology = b.build();
        AtomicInteger commits = new AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(20)
                .withBeforeCommit((task, entries) -> entries > 0 && commits.incrementAndGet() == 1
                        ? Mono.error(new IllegalStateException("test: the first commit fails, the task restarts"))
                        : Mono.empty());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StreamsRuntime runtime = new StreamsRuntime(topology, config, RedisTestSupport.template(), registry)) {
            runtime.start();
            FunctionCounter counter = registry.get("qt.streams.backpressure.no.demand.seconds").tag("task", "0_0").functionCounter();
            // the stage holds the first record: the reader has no demand for 1.5 s
            await().atMost(Duration.ofSeconds(20)).until(() -> counter.count() >= 1.5);
            double before = counter.count();
            gate.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().restarts() >= 1
                    && runtime.counters().recordsIn() == 200);
            double after = counter.count();
            assertThat(after).as("a counter never decreases: %s s before the task restarted, %s s after", before, after)
                    .isGreaterThanOrEqualTo(before);
        }
    }
}
