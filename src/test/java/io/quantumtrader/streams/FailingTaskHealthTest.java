package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.app.StreamsHealthIndicator;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;

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
            StreamsConfig config = TaskRestartLogTest.outOfMemoryBeforeTheFirstCommit(redis);
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
