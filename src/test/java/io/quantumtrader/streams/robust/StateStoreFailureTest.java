package io.quantumtrader.streams.robust;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A state store value that cannot be written (its serde fails on it) or read back stops the task with a CRITICAL alert
 * naming the store and key, instead of restarting it forever (found in review, 2026-12-05: the task re-read the same
 * batch, or the same hash, every few seconds, with nothing saying why).
 */
class StateStoreFailureTest {

    /** A value JSON cannot write: its getter returns itself (a cycle). */
    public static final class Loop {
        public Loop getSelf() {
            return this;
        }
    }

    public record Level(long n) {
    }

    static Topology storing(boolean loop) {
        TopologyBuilder b = new TopologyBuilder("stores");
        b.addStateStore(loop ? StoreSpec.keyValueStore("loops", Loop.class) : StoreSpec.keyValueStore("levels", Level.class));
        b.stream("in", Long.class).process(() -> new Processor<String, Long, String, Long>() {
            private KeyValueStore<String, Object> store;

            @Override
            public void init(ProcessorContext<String, Long> ctx) {
                store = ctx.getStateStore(loop ? "loops" : "levels");
            }

            @Override
            public void process(Record<String, Long> r) {
                store.put(r.key(), loop ? new Loop() : new Level(r.value()));
            }
        }, Named.as("keep"), loop ? "loops" : "levels");
        return b.build();
    }

    static void publishOne(String ns) {
        RedisTestSupport.publisher(ns, StreamCatalog.defaults())
                .sendAll(Flux.just(new EventPublisher.Event("in", "k1", 1L, 1_700_000_000_000L)), 10).block();
    }

    @Test
    void aValueThatCannotBeWrittenStopsTheTaskWithAnAlertInsteadOfLooping() {
        String ns = RedisTestSupport.freshNamespace();
        publishOne(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(storing(true), StreamsConfig.defaults().withNamespace(ns),
                RedisTestSupport.template())) {
            runtime.start();
            assertStoppedWithAnAlert(runtime, ns, "state store 'loops'", "key 'k1'", "cannot be written");
        }
    }

    @Test
    void aStoredValueThatCannotBeReadBackStopsTheTaskWithAnAlertNamingTheField() {
        String ns = RedisTestSupport.freshNamespace();
        String hash = new StreamKeys(ns).store("stores", "levels", 0);
        RedisTestSupport.template().opsForHash().put(hash, "k0", "{not json").block();
        publishOne(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(storing(false), StreamsConfig.defaults().withNamespace(ns),
                RedisTestSupport.template())) {
            runtime.start();
            assertStoppedWithAnAlert(runtime, ns, "state store 'levels'", "field 'k0'", "cannot be read back");
        }
    }

    /** The runtime goes to ERROR without a restart, and its first alert contains every one of {@code words}. */
    static void assertStoppedWithAnAlert(StreamsRuntime runtime, String ns, String... words) {
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR);
        assertThat(runtime.counters().restarts()).as("not retried").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "system.alert.triggered", 0) > 0);
        assertThat(RedisTestSupport.entries(ns, "system.alert.triggered", 0).get(0).get("data")).contains(words);
    }
}
