package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orphaned-pending check ({@link StreamAdmin#orphanedPending}: entries pending past the idle threshold for another
 * consumer than the task's owner, which the owner must claim) sees them behind any number of the owner's own. Until
 * 2026-12-06 it looked at the group's oldest 100 pending entries only: 150 old entries of the owner's own (a batch of
 * 2,000 still in progress) hid the 5 a dead instance left after them, and nobody claimed those until the owner's
 * next restart.
 */
class OrphanedPendingCountTest {

    @Test
    void entriesOfAnotherConsumerAreCountedBehindTheOwnersOwnOldEntries() throws InterruptedException {
        String key = new StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "pricing.0").block();
        for (int i = 0; i < 160; i++) {
            template().opsForStream().add(key, Map.of("n", Integer.toString(i))).block();
        }
        read(key, "owner", 150);
        read(key, "dead", 5);
        read(key, "slow", 5);
        Thread.sleep(50);

        assertThat(admin.orphanedPending(key, "pricing.0", "owner", Duration.ofMillis(20)).block(Duration.ofSeconds(5)))
                .as("dead's 5 and slow's 5, not the owner's 150").isEqualTo(10);
        assertThat(admin.orphanedPending(key, "pricing.0", "owner", Duration.ofHours(1)).block(Duration.ofSeconds(5)))
                .as("none idle that long").isZero();
        assertThat(admin.orphanedPending(key, "absent", "owner", Duration.ofMillis(20)).block(Duration.ofSeconds(5)))
                .as("no such group").isZero();
        assertThat(admin.orphanedPending(key + "-none", "pricing.0", "owner", Duration.ofMillis(20)).block(Duration.ofSeconds(5)))
                .as("no such stream").isZero();
    }

    private static void read(String key, String consumer, int count) {
        template().opsForStream().read(Consumer.from("pricing.0", consumer), StreamReadOptions.empty().count(count),
                StreamOffset.create(key, ReadOffset.lastConsumed())).blockLast(Duration.ofSeconds(5));
    }
}
