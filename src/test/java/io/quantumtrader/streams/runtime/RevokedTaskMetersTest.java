package io.quantumtrader.streams.runtime;

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

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task handed over to another instance while its reader had no demand (the task busy: the usual state under load)
 * keeps adding wall-clock time to {@code qt.streams.backpressure.no.demand.seconds} on the instance it left, for as long
 * as it stays away: the stopped reader never closes its no-demand period ({@code PartitionReader.noDemandSince}), so
 * dashboards and the live page show a task that does not run here as 100 % busy.
 */
class RevokedTaskMetersTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());

    /** Holds every record after the first 200 of the instance until it opens: both readers are left with no demand. */
    static final reactor.core.publisher.Sinks.Empty<Void> GATE = reactor.core.publisher.Sinks.empty();
    static final java.util.concurrent.atomic.AtomicInteger SEEN = new java.util.concurrent.atomic.AtomicInteger();

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("revoked-meters");
        b.stream("ticks", Tick.class)
                .transform(flux -> flux.concatMap(r -> SEEN.incrementAndGet() > 200 ? GATE.asMono().thenReturn(r) : Mono.just(r)),
                        Named.as("slow"))
                .to("out");
        return b.build();
    }

    static StreamsRuntime instance(String ns, String id, SimpleMeterRegistry registry) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId(id).withCatalog(CATALOG)
                .withBatchSize(20).withLeaseTtl(Duration.ofSeconds(2));
        StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template(), registry);
        runtime.start();
        return runtime;
    }

    @Test
    void aTaskHandedOverStopsAccumulatingNoDemandTimeOnTheInstanceItLeft() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(Flux.range(0, 6000).map(i ->
                new EventPublisher.Event("ticks", "S" + i % 16, new Tick("S" + i % 16, 100 + i, i), 1_700_000_000_000L + i)), 200).block();
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        StreamsRuntime a = instance(ns, "a", registryA);
        StreamsRuntime b = null;
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> a.tasks().stream().allMatch(t -> t.state() == TaskState.RUNNING)
                    && SEEN.get() > 200);
            Thread.sleep(500);
            b = instance(ns, "b", new SimpleMeterRegistry());
            Thread.sleep(1500); // b joined: a is asked to hand one task over, whose batch in flight waits at the gate
            GATE.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.tasks().stream().anyMatch(t -> t.state() == TaskState.REVOKED));
            StreamTask revoked = a.tasks().stream().filter(t -> t.state() == TaskState.REVOKED).findFirst().orElseThrow();
            Thread.sleep(500); // its batches in flight committed, its lease released
            double before = registryA.get("qt.streams.backpressure.no.demand.seconds").tag("task", revoked.id()).functionCounter().count();
            Thread.sleep(3000);
            assertThat(revoked.state()).isEqualTo(TaskState.REVOKED);
            double after = registryA.get("qt.streams.backpressure.no.demand.seconds").tag("task", revoked.id()).functionCounter().count();
            assertThat(after - before).as("seconds without demand added in 3 s by task %s, which no longer runs on this instance",
                    revoked.id()).isLessThan(0.5);
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }
}
