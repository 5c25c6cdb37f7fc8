package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task whose batch runs out of memory restarts (reading one entry at a time, docs/OPERATIONS.md) and processes its
 * input. Found in review (2026-12-07): an OutOfMemoryError thrown while a batch was processed (on a Reactor parallel
 * worker) is JVM-fatal for Reactor, which rethrew it to the scheduler; it was logged there and never reached the task's
 * pipeline, which stayed RUNNING and processed nothing more, for good.
 */
class OutOfMemoryInBatchTest {

    @Test
    void aTaskWhoseBatchRanOutOfMemoryRestartsAndProcessesItsInput() {
        String ns = RedisTestSupport.freshNamespace();
        AtomicBoolean thrown = new AtomicBoolean();
        TopologyBuilder b = new TopologyBuilder("oom");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> {
                    if (thrown.compareAndSet(false, true)) {
                        throw new OutOfMemoryError("Java heap space (simulated, once)");
                    }
                    return t;
                }, Named.as("allocating"))
                .to("out");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10).withInstanceId("r1");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.tasks().stream().allMatch(t -> t.state() == TaskState.RUNNING));
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 20), 20).block();
            await().atMost(Duration.ofSeconds(10)).until(thrown::get);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> RedisTestSupport.length(ns, "out", 0) == 20);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                StreamTask t = runtime.tasks().get(0);
                throw new AssertionError("30 s after one OutOfMemoryError in a batch: task " + t.id() + " state=" + t.state()
                        + ", restarts=" + runtime.counters().restarts() + ", records in=" + runtime.counters().recordsIn()
                        + ", out=" + RedisTestSupport.length(ns, "out", 0) + " of 20, runtime " + runtime.state()
                        + ", read ahead=" + t.readAhead());
            }
        }
    }
}
