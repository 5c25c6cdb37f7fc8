package io.quantumtrader.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up checks of a connection (PING, {@code INFO cluster}) leave no connection open behind them: they ran on
 * Spring's shared imperative connection, which closing the {@code RedisConnection} handle does not close, and which
 * nothing used again (found in review, 2026-12-07: a sixth connection per {@code serve} instance, idle since start,
 * its last command {@code INFO}; docs/OPERATIONS.md counts the connections an instance holds).
 */
class StartupChecksConnectionTest {

    @Test
    void theChecksLeaveOnlyTheTemplatesConnection() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        RedisClient observer = RedisClient.create(redis.url());
        try (RedisConnection connection = RedisConnection.of(redis.url());
             StatefulRedisConnection<String, String> look = observer.connect()) {
            connection.template().opsForValue().set("k", "v").block(Duration.ofSeconds(10));   // the template's connection
            String clients = look.sync().clientList();
            assertThat(clients.lines().count()).as("connections: this test's and the template's\n" + clients).isEqualTo(2);
        } finally {
            observer.shutdown();
            redis.stop();
        }
    }
}
