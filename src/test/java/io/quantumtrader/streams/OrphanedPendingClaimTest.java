package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.AssignmentConfig;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The periodic safety net: an entry left pending with a consumer that is not the task's owner (here a foreign
 * consumer that read it and vanished) is claimed by the owner once it has been idle past the threshold, and processed.
 */
class OrphanedPendingClaimTest {

    @Test
    void anEntryPendingWithAnotherConsumerIsClaimedAndProcessed() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("owner")
                .withAssignment(AssignmentConfig.defaults().withLeaseTtl(Duration.ofSeconds(2))
                        .withOrphanedPendingIdle(Duration.ofMillis(400)));
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
            long reclaimedAtStart = runtime.counters().reclaimed();
            // a foreign consumer of the group grabs the next entry before the owner reads it, and never acknowledges it
            String key = new StreamKeys(ns).stream("ticks", 0);
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("ticks", "A", new Tick("A", 101, 1), 1).block();
            assertThat(template().opsForStream().read(Consumer.from("pricing.0", "ghost"), StreamReadOptions.empty().count(10),
                    StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block()).hasSize(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "priced", 0) == 1);
            assertThat(runtime.counters().reclaimed() - reclaimedAtStart).isEqualTo(1);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
        }
    }
}
