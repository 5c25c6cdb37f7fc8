package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entries left under the key layout before the namespace joined the hash tag ({@code <ns>:{<p>}:s:<stream>}) are not
 * read by this release: the runtime says so at start with a CRITICAL alert naming the keys, instead of leaving them
 * behind silently.
 */
class LegacyKeyLayoutTest {

    @Test
    void entriesUnderTheOldLayoutRaiseACriticalAlertAtStart() {
        String ns = RedisTestSupport.freshNamespace();
        String old = ns + ":{0}:s:ticks";
        template().opsForStream().add(MapRecord.create(old, Map.of("id", "x", "data", "{}"))).block();
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.entries(ns, "system.alert.triggered",
                    0).stream().anyMatch(f -> f.getOrDefault("data", "").contains(old + " (1 entries)")));
        }
        String fresh = RedisTestSupport.freshNamespace();
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(fresh), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(template().hasKey(new StreamKeys(fresh).stream("system.alert.triggered", 0)).block())
                .as("no alert without old-layout keys").isFalse();
    }
}
