package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox protocol forced on one server ({@link CommitOptions.CrossSlot#OUTBOX}): the same exactly-once result as
 * the single commit script, through the standalone commit connection.
 */
class OutboxOnOneServerTest {

    @AfterEach
    void reset() {
        RedisClusterTest.redis = null;
    }

    @Test
    void forcedOutboxOnOneServerIsExactlyOnce() {
        RedisConnection redis = RedisTestSupport.redis();
        RedisClusterTest.redis = redis;
        String ns = RedisTestSupport.freshNamespace();
        new EventPublisher(redis.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test").sendAll(RedisClusterTest.ticks(), 64).block();
        try (StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(), RedisClusterTest.config(ns, "one"), redis.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX))) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        long forwardedMarks = 0;
        for (int p = 0; p < RedisClusterTest.PARTITIONS; p++) {
            forwardedMarks += redis.template().opsForHash().size(StreamKeys.forwarded(new StreamKeys(ns).stream("buckets", p))).block();
        }
        assertThat(forwardedMarks).as("outputs went through the outbox").isPositive();
        RedisClusterTest.assertExactlyOnce(ns);
    }
}
