package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * forward.lua (a Redis Cluster task's outbox appended to its target streams) refuses before its first write when a
 * target stream's entry ids are used up (its last id at millisecond 2^64 - 1: {@code XADD *} fails there). Before
 * (review of 2026-12-06) it appended the entries for the targets before that one, failed, and left its mark (written
 * last) where it was, so every forward appended them again. The script runs the same on a standalone Redis, which this
 * test uses; {@code io.quantumtrader.streams.ExhaustedStreamIdsTest} covers the other scripts.
 */
class ExhaustedForwardTargetTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void aForwardWithATargetWhoseIdsAreUsedUpAppendsNothingAndNamesIt() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String forwarded = ns + ":{p1}:forwarded";
        String a = ns + ":{p1}:s:a";
        String b = ns + ":{p1}:s:b";
        redis.opsForStream().add(MapRecord.create(b, Map.of("x", "y"))
                .withId(RecordId.of("18446744073709551615-18446744073709551615"))).block(T);
        List<String> keys = List.of(forwarded, a, b);
        List<String> args = List.of(ns + ":{p0}:outbox", "2",
                "1-1", "1", "0", "2", "n", "1",     // to a
                "1-2", "2", "0", "2", "n", "2");    // to b: its ids are used up
        LuaScript forward = LuaScript.load("forward.lua");
        for (int attempt = 0; attempt < 2; attempt++) {   // the forwarder tries again after a failure
            Throwable refused = catchThrowable(() -> forward.executeForLong(redis, keys, args).block(T));
            assertThat(redis.opsForStream().size(a).block(T)).as("nothing appended to a").isZero();
            assertThat(refused).hasStackTraceContaining("REJECTED").hasStackTraceContaining(b)
                    .hasStackTraceContaining("used up its entry ids");
        }
        assertThat(redis.opsForHash().size(forwarded).block(T)).as("no mark").isZero();

        redis.delete(b).block(T);   // fixed: forwarded once
        assertThat(forward.executeForLong(redis, keys, args).block(T)).isEqualTo(2);
        assertThat(redis.opsForStream().size(a).block(T)).isEqualTo(1);
        assertThat(redis.opsForStream().size(b).block(T)).isEqualTo(1);
    }
}
