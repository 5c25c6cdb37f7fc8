package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The description of a connection (replay's {@code redis:} line, serve's {@code serving:} line, kill-switch-reset's
 * {@code published to} line) names REDIS_URL's database when it is not 0. Found in review (2026-12-07): it read
 * {@code Redis at 127.0.0.1:port} for {@code /2} too, so an operator could not see which database a reset went to.
 */
class DescriptionNamesDatabaseTest {

    @Test
    void aDatabaseOtherThanZeroIsNamed() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try (RedisConnection two = RedisConnection.of(redis.url() + "/2");
             RedisConnection zero = RedisConnection.of(redis.url())) {
            assertThat(two.description()).isEqualTo("Redis at 127.0.0.1:" + redis.port() + ", database 2");
            assertThat(zero.description()).isEqualTo("Redis at 127.0.0.1:" + redis.port());
        } finally {
            redis.stop();
        }
    }
}
