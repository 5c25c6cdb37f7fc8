package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A runtime starts once, as Kafka Streams' {@code KafkaStreams.start()} (IllegalStateException unless CREATED). Until
 * 2026-12-06 a start() that failed after it had made its tasks (here: a consumer group that cannot be created, the
 * source key being a string) left the runtime CREATED, and a second start() added every task a second time.
 */
class StartOnceTest {

    static Topology copying() {
        TopologyBuilder b = new TopologyBuilder("start-once");
        b.stream("in", Long.class).to("out");
        return b.build();
    }

    @Test
    void aSecondStartAfterAFailedStartIsRefusedAndNoTaskIsAddedTwice() {
        String ns = RedisTestSupport.freshNamespace();
        String source = new StreamKeys(ns).stream("in", 0);
        RedisTestSupport.template().opsForValue().set(source, "not a stream").block();
        try (StreamsRuntime runtime = new StreamsRuntime(copying(), StreamsConfig.defaults().withNamespace(ns)
                .withCatalog(StreamCatalog.defaults()), RedisTestSupport.template())) {
            assertThatThrownBy(runtime::start).as("the consumer group cannot be made on a string key");
            int tasks = runtime.tasks().size();
            RedisTestSupport.template().delete(source).block();   // what made it fail is gone: start() still refuses
            assertThatThrownBy(runtime::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start() was called before")
                    .hasMessageContaining("create a new StreamsRuntime");
            assertThat(runtime.tasks()).hasSize(tasks);
            assertThat(runtime.state()).isEqualTo(RuntimeState.CREATED);
        }
    }

    @Test
    void aSecondStartOfARunningRuntimeIsRefused() {
        String ns = RedisTestSupport.freshNamespace();
        try (StreamsRuntime runtime = new StreamsRuntime(copying(), StreamsConfig.defaults().withNamespace(ns)
                .withCatalog(StreamCatalog.defaults()), RedisTestSupport.template())) {
            runtime.start();
            int tasks = runtime.tasks().size();
            assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING");
            assertThat(runtime.tasks()).hasSize(tasks);
        }
    }
}
