package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
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

/** A pending entry deleted before it was processed neither blocks recovery nor is lost silently: it is dead-lettered. */
class DeletedPendingEntryTest {

    @Test
    void aPendingEntryThatWasTrimmedAwayIsDeadLetteredAndTheRestIsProcessed() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        var read = template().opsForStream().read(Consumer.from("pricing.0", "dead"), StreamReadOptions.empty().count(3),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().delete(key, read.get(1).getId()).block();   // trimmed while pending

        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(runtime.counters().deadLettered()).isEqualTo(1);
        }
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("error.source_id", read.get(1).getId().getValue()));
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                .containsExactly(1L, 3L, 4L, 6L, 7L, 8L, 9L);
    }
}
