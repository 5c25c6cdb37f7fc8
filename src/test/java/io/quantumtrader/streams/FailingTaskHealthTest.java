package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.app.StreamsHealthIndicator;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health names why a task keeps failing: on a Redis out of memory the tasks restart again and again and
 * {@code /actuator/health} said only "… 50 pending with no live consumer (1 stale)", so an operator looked for dead
 * consumers; the Redis reply was in the log alone. The problem goes away once the task runs again.
 */
class FailingTaskHealthTest {

    @Test
    void healthNamesTheCauseOfATaskThatKeepsFailingUntilItCommitsAgain() {
        try (RedisConnection own = RedisConnection.embedded()) {
            ReactiveStringRedisTemplate redis = own.template();
            String ns = RedisTestSupport.freshNamespace();
            AtomicBoolean oom = new AtomicBoolean();
            // right before the first commit, Redis runs out of memory (maxmemory 1 byte, noeviction)
            redis.execute(c -> c.serverCommands().setConfig("maxmemory-policy", "noeviction")).blockLast();
            StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(EngineIntegrationTest.CATALOG)
                    .withBatchSize(10)
                    .withBeforeCommit((task, entries) -> oom.compareAndSet(false, true)
                            ? Mono.fromFuture(redis.execute(c -> c.serverCommands().setConfig("maxmemory", "1")).then().toFuture(), true)
                            : Mono.empty());
            new EventPublisher(redis, new StreamKeys(ns), EngineIntegrationTest.CATALOG, "test")
                    .sendAll(EngineIntegrationTest.ticks(1, 20), 20).block();
            try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config, redis)) {
                StreamsHealthIndicator indicator = new StreamsHealthIndicator(new StreamsHealth(EngineIntegrationTest.pricingTopology(),
                        config, redis, StreamsHealth.Thresholds.defaults(), runtime::state), runtime::group);
                runtime.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().restarts() >= 2);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(problems(indicator.health().block(Duration.ofSeconds(10))))
                        .anyMatch(p -> p.matches("task 0_\\d failed and has committed nothing since: .*")
                                && p.contains("OOM command not allowed when used memory > 'maxmemory'")));

                redis.execute(c -> c.serverCommands().setConfig("maxmemory", "0")).blockLast();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
                assertThat(problems(indicator.health().block(Duration.ofSeconds(10))))
                        .as("the task committed again: its failure is over").noneMatch(p -> p.startsWith("task "));
            } finally {
                redis.execute(c -> c.serverCommands().setConfig("maxmemory", "0")).blockLast();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Health health) {
        return (List<String>) health.getDetails().get("problems");
    }
}
