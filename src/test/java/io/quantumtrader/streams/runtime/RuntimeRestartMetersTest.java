package io.quantumtrader.streams.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A runtime closed and a new one started on the same registry (an embedding application restarting its pipeline; the
 * constructor takes e.g. Spring Boot's Prometheus registry): the new runtime's gauges and function counters are
 * registered under the same ids, Micrometer hands back the first runtime's meters, and they go on reading the closed
 * runtime: {@code qt.streams.state} says 0 and {@code qt.streams.records.in} stays frozen while the new one runs.
 * Found in review (2026-12-07); a closed runtime now removes its function-based meters.
 */
class RuntimeRestartMetersTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of(
            "ticks", new StreamSpec("ticks", "symbol", 1, 0, null),
            "out", new StreamSpec("out", "symbol", 1, 0, null)));

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("restarted");
        b.stream("ticks", Tick.class).to("out");
        return b.build();
    }

    static void publish(String ns, int from, int to) {
        RedisTestSupport.publisher(ns, CATALOG).sendAll(Flux.range(from, to - from).map(i ->
                new EventPublisher.Event("ticks", "S", new Tick("S", 100 + i, i), 1_700_000_000_000L + i)), 50).block();
    }

    @Test
    void aSecondRuntimeOnTheSameRegistryIsWhatItsMetersShow() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(20);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        publish(ns, 1, 101);
        try (StreamsRuntime first = new StreamsRuntime(topology(), config, RedisTestSupport.template(), registry)) {
            first.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> first.counters().recordsIn() == 100);
        }
        publish(ns, 101, 151);
        try (StreamsRuntime second = new StreamsRuntime(topology(), config, RedisTestSupport.template(), registry)) {
            second.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> second.counters().recordsIn() == 50);
            assertThat(second.state()).isEqualTo(RuntimeState.RUNNING);
            assertThat(registry.get("qt.streams.state").gauge().value())
                    .as("qt.streams.state while the second runtime is RUNNING").isEqualTo(1.0);
            assertThat(registry.get("qt.streams.records.in").functionCounter().count())
                    .as("qt.streams.records.in: the 50 of the running runtime (a reset, as at a process restart), not the "
                            + "closed one's frozen 100").isEqualTo(50.0);
        }
    }
}
