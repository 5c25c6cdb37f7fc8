package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.embedded.RedisServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve} waits at start for a Redis that is not there yet, and fails at once for one that refuses it. Found in
 * review (2026-12-07): one PING, and a pod started while Redis restarted exited with code 3 (CrashLoopBackOff).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisAtStartTest {

    @Test
    void aRedisStartedWhileServeWaitsIsConnectedTo() throws Exception {
        int port = ReplayFixture.freePort();
        RedisTarget target = RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:" + port));
        List<String> warnings = new CopyOnWriteArrayList<>();
        RedisServer[] server = new RedisServer[1];
        // the Redis starts during the second wait: the first attempts are refused
        RedisAtStart.Sleeper startingRedis = d -> {
            if (warnings.size() == 2 && server[0] == null) {
                server[0] = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").build();
                server[0].start();
            }
        };
        try (RedisConnection c = RedisAtStart.connect(target, Duration.ofSeconds(60), warnings::add, startingRedis)) {
            assertThat(c.template().opsForValue().set("k", "v").block()).isTrue();
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("127.0.0.1:" + port).contains("connection refused")
                    .contains("attempt 1, trying again in 500 ms").contains("quantum-trader.redis-start-wait");
        } finally {
            if (server[0] != null) {
                server[0].stop();
            }
        }
    }

    @Test
    void aRefusalFailsAtOnceAndNoRedisFailsAfterTheLimit() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis("requirepass s3cret");
        try {
            List<String> warnings = new CopyOnWriteArrayList<>();
            RedisTarget wrongPassword = RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://:wrong@127.0.0.1:" + redis.port()));
            assertThatThrownBy(() -> RedisAtStart.connect(wrongPassword, Duration.ofSeconds(60), warnings::add, d -> { }))
                    .isInstanceOf(CliException.class).hasMessageContaining("authentication failed");
            assertThat(warnings).as("a refusal is not waited for").isEmpty();
        } finally {
            redis.stop();
        }
        List<String> warnings = new CopyOnWriteArrayList<>();
        RedisTarget nobody = RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:" + ReplayFixture.freePort()));
        long[] slept = {0};
        assertThatThrownBy(() -> RedisAtStart.connect(nobody, Duration.ofMillis(1_200), warnings::add, d -> {
            slept[0] += d.toMillis();
            Thread.sleep(d.toMillis());
        })).isInstanceOf(CliException.class).hasMessageContaining("unreachable (connection refused)");
        assertThat(warnings).as("waited: 500 ms, then what was left of 1.2 s").hasSizeBetween(2, 3);
        assertThat(slept[0]).isLessThanOrEqualTo(1_200);
    }
}
