package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Found in review (2026-12-08): the documented fix of a stream whose ids are used up (or run ahead of the clock) is "delete
 * the stream; then restart". LostGroupRefusalEdgesTest covers it only when the task's start comes before any producer
 * writes again. Producers keep writing (their XADD * succeeds again right after the DEL), so the stream usually exists
 * again, without the group, by the time the task restarts: 'acked.<key>' (at the huge id) is above every new entry,
 * XRANGE - acked finds them, and create-group.lua refused; its advice (XGROUP CREATE at that id) skipped every new entry.
 * Now a stream whose last id is below 'acked' is taken as the stream that was gone (made again, reported as such).
 */
@Timeout(60)
class RefusalAfterStreamRewrittenTest {

    private static final Duration T = Duration.ofSeconds(10);

    private final ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    private final String ns = RedisTestSupport.freshNamespace();
    private final String slot = ns + ":{" + ns + ".0}:";
    private final String in = slot + "s:in";
    private final String meta = slot + "meta:app.0";
    private final StreamAdmin admin = new StreamAdmin(redis);

    private void commitEverything() {
        String lease = slot + "lease";
        redis.opsForValue().set(lease, "token").block(T);
        admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T);
        List<String> read = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        CommitBatch commit = new CommitBatch();
        read.forEach(id -> commit.ack(in, id));
        new CommitScript(redis, null).commit(commit, lease, meta, "token", "app.0", 0,
                new DedupeWindow(slot + "dedupe-log:app.0", Long.MIN_VALUE, 0), "run").block(T);
    }

    @Test
    void deleteTheStreamFixIsNotRefusedWhenAProducerWroteBeforeTheRestart() {
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "bad")).withId(RecordId.of("18446744073709551615-0"))).block(T);
        commitEverything();

        redis.delete(in).block(T);   // docs/OPERATIONS.md: "... or delete the stream; then restart"
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "2"))).block(T);   // a producer writes on at once

        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        assertThat(refused).as("the documented fix, with a producer writing before the task's restart, is refused").isNull();
        List<String> delivered = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("the entry written after the fix is delivered").hasSize(1);
    }
}
