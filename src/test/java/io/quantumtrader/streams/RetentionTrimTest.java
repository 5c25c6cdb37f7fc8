package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/** Retention trimming (XTRIM MINID) never drops what a consumer group has not read or acknowledged. */
class RetentionTrimTest {

    @Test
    void trimsOldEntriesButNotPastALaggingGroup() {
        String key = new io.quantumtrader.streams.redis.StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks", 0);
        for (int i = 1; i <= 10; i++) {
            template().opsForStream().add(MapRecord.create(key, Map.of("n", String.valueOf(i))).withId(RecordId.of(i * 1000L, 0))).block();
        }
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "fast").block();
        admin.ensureGroup(key, "slow").block();
        // fast reads and acks everything; slow reads 6 entries and acks the first 4 (5000-0 and 6000-0 stay pending)
        var fast = template().opsForStream().read(Consumer.from("fast", "c"), StreamReadOptions.empty().count(100),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().acknowledge(key, "fast", fast.stream().map(r -> r.getId()).toArray(RecordId[]::new)).block();
        var slow = template().opsForStream().read(Consumer.from("slow", "c"), StreamReadOptions.empty().count(6),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().acknowledge(key, "slow", slow.subList(0, 4).stream().map(r -> r.getId()).toArray(RecordId[]::new)).block();

        // retention cut-off at 9000 ms: 1000..8000 are old, but slow still has 5000-0 pending
        assertThat(admin.trimByRetention(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(4);
        assertThat(admin.length(key).block()).isEqualTo(6);

        template().opsForStream().acknowledge(key, "slow", slow.subList(4, 6).stream().map(r -> r.getId()).toArray(RecordId[]::new)).block();
        // nothing pending now, but slow has read only up to 6000-0: 7000..10000 are unread by it
        assertThat(admin.trimByRetention(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(1);
        assertThat(admin.length(key).block()).isEqualTo(5);

        template().opsForStream().read(Consumer.from("slow", "c"), StreamReadOptions.empty().count(100),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList()
                .flatMap(rs -> template().opsForStream().acknowledge(key, "slow", rs.stream().map(r -> r.getId()).toArray(RecordId[]::new)))
                .block();
        assertThat(admin.trimByRetention(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(3);
        assertThat(admin.length(key).block()).as("9000-0 and 10000-0 are within retention").isEqualTo(2);
    }
}
