package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A namespace keeps the partition counts it first ran with: a start with another count is refused with a message
 * naming the stream and both counts, because the old partitions' unread entries and state would be stranded (found
 * in review, 2026-12-05: nothing noticed a changed count).
 */
class PartitionCountChangeTest {

    static StreamCatalog ticksOn(int partitions) {
        Duration keep = Duration.ofDays(7);
        return new StreamCatalog(new StreamSpec("*", "key", 1, 0, keep),
                Map.of("ticks", new StreamSpec("ticks", "key", partitions, 0, keep)));
    }

    @Test
    void aStartWithAnotherPartitionCountThanTheNamespaceRanWithIsRefused() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig two = StreamsConfig.defaults().withNamespace(ns).withCatalog(ticksOn(2));
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), two, template())) {
            runtime.start();
            RedisTestSupport.publisher(ns, ticksOn(2)).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        StreamsConfig three = two.withCatalog(ticksOn(3));
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), three, template())) {
            assertThatThrownBy(runtime::start).isInstanceOf(io.quantumtrader.streams.dsl.TopologyException.class)
                    .hasMessageContaining("'ticks' ran with 2 partitions, the catalog now gives 3")
                    .hasMessageContaining("new namespace");
        }
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), two, template())) {
            runtime.start();   // the count it ran with: fine
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
    }
}
