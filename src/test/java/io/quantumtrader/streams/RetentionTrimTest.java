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
        assertThat(admin.trimByRetentionAt(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(4);
        assertThat(admin.length(key).block()).isEqualTo(6);

        template().opsForStream().acknowledge(key, "slow", slow.subList(4, 6).stream().map(r -> r.getId()).toArray(RecordId[]::new)).block();
        // nothing pending now, but slow has read only up to 6000-0: 7000..10000 are unread by it
        assertThat(admin.trimByRetentionAt(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(1);
        assertThat(admin.length(key).block()).isEqualTo(5);

        template().opsForStream().read(Consumer.from("slow", "c"), StreamReadOptions.empty().count(100),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList()
                .flatMap(rs -> template().opsForStream().acknowledge(key, "slow", rs.stream().map(r -> r.getId()).toArray(RecordId[]::new)))
                .block();
        assertThat(admin.trimByRetentionAt(key, Duration.ofMillis(1000), 10_000L).block()).isEqualTo(3);
        assertThat(admin.length(key).block()).as("9000-0 and 10000-0 are within retention").isEqualTo(2);
    }

    /**
     * An entry id ahead of the clock (a writer chose it: XADD key 9999999999999-0 ...) makes every later id Redis
     * gives on that stream as large, so the ids no longer tell when an entry arrived. Before (2026-12-06) trimming
     * stopped at it for good: no id after it was ever before the cut-off. Now a pass that sees the stream's last id
     * ahead of the clock marks when it saw it, and the entries up to a mark older than the retention are trimmed;
     * an entry a group has not read is still kept.
     */
    @Test
    void trimmingGoesOnPastAnEntryIdAheadOfTheClock() {
        String key = new io.quantumtrader.streams.redis.StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks", 0);
        String future = "9999999999999";
        for (int i = 1; i <= 5; i++) {
            template().opsForStream().add(MapRecord.create(key, Map.of("n", String.valueOf(i))).withId(RecordId.of(i * 1000L, 0))).block();
        }
        template().opsForStream().add(MapRecord.create(key, Map.of("n", "future")).withId(RecordId.of(future + "-0"))).block();
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "g").block();
        java.util.function.IntConsumer add = n -> {
            for (int i = 0; i < n; i++) {
                template().opsForStream().add(MapRecord.create(key, Map.of("n", "later"))).block();   // id: <future>-<seq>
            }
        };
        java.util.function.IntConsumer readAndAck = n -> {
            var read = template().opsForStream().read(Consumer.from("g", "c"), StreamReadOptions.empty().count(n),
                    StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
            template().opsForStream().acknowledge(key, "g", read.stream().map(r -> r.getId()).toArray(RecordId[]::new)).block();
        };
        Duration retention = Duration.ofMillis(1000);
        add.accept(2);                       // <future>-1, -2
        readAndAck.accept(100);
        assertThat(admin.trimByRetentionAt(key, retention, 10_000L).block()).as("1000-0 .. 5000-0").isEqualTo(5);

        add.accept(2);                       // -3, -4: arrived after the pass at 10,000
        readAndAck.accept(100);
        assertThat(admin.trimByRetentionAt(key, retention, 10_500L).block()).as("nothing arrived before 9,500").isZero();
        assertThat(admin.trimByRetentionAt(key, retention, 11_000L).block()).as("-0 .. -2 were there at 10,000").isEqualTo(3);
        assertThat(ids(key)).containsExactly(future + "-3", future + "-4");

        add.accept(2);                       // -5, -6; the group reads -5 only
        readAndAck.accept(1);
        assertThat(admin.trimByRetentionAt(key, retention, 12_000L).block()).as("-3, -4 were there at 10,500").isEqualTo(2);
        assertThat(admin.trimByRetentionAt(key, retention, 20_000L).block()).as("-6 is unread, -5 its group's position").isZero();
        assertThat(ids(key)).containsExactly(future + "-5", future + "-6");
        readAndAck.accept(100);
        assertThat(admin.trimByRetentionAt(key, retention, 21_000L).block()).isEqualTo(1);
        assertThat(ids(key)).containsExactly(future + "-6");
    }

    /**
     * The cut-off and the "ids ahead of the clock" decision follow Redis' clock (the clock that makes the ids), not the
     * trimming instance's: a pod whose clock is 10 minutes ahead trimmed the entries just written (retention 5 min),
     * one 10 minutes behind trimmed nothing and marked the fresh ids as ahead of its clock (before 2026-12-06).
     */
    @Test
    void trimmingFollowsRedisClockWhateverTheInstancesClock() {
        Duration retention = Duration.ofMinutes(5);
        for (long skew : new long[]{Duration.ofMinutes(10).toMillis(), -Duration.ofMinutes(10).toMillis()}) {
            String key = new io.quantumtrader.streams.redis.StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks", 0);
            long redisNow = Long.parseLong(template().opsForStream().add(MapRecord.create(key + ":clock", Map.of("n", "0")))
                    .block().getValue().split("-")[0]);
            template().delete(key + ":clock").block();
            long old = redisNow - Duration.ofMinutes(10).toMillis();
            for (int i = 1; i <= 3; i++) {
                template().opsForStream().add(MapRecord.create(key, Map.of("n", "old")).withId(RecordId.of(old + i, 0))).block();
            }
            for (int i = 0; i < 2; i++) {
                template().opsForStream().add(MapRecord.create(key, Map.of("n", "fresh"))).block();   // id: Redis' clock
            }
            StreamAdmin admin = new StreamAdmin(template());
            long instanceNow = System.currentTimeMillis() + skew;
            assertThat(trim(admin, key, retention, instanceNow)).as("skew %d ms: the three entries 10 min old", skew).isEqualTo(3);
            assertThat(admin.length(key).block()).as("skew %d ms: the fresh entries kept", skew).isEqualTo(2);
            assertThat(template().hasKey(io.quantumtrader.streams.redis.StreamKeys.arrivals(key)).block())
                    .as("skew %d ms: no id is ahead of Redis' clock", skew).isFalse();
        }
    }

    /**
     * A pass on the trimming instance whose clock reads {@code instanceNowMillis}: the pass uses Redis' clock, so the
     * instance's is not passed (before the fix it was: {@code trimByRetention(key, retention, instanceNowMillis)}).
     */
    private static long trim(StreamAdmin admin, String key, Duration retention, long instanceNowMillis) {
        return admin.trimByRetention(key, retention).block();
    }

    private static java.util.List<String> ids(String key) {
        return template().opsForStream().range(key, org.springframework.data.domain.Range.unbounded())
                .map(r -> r.getId().getValue()).collectList().block();
    }
}
