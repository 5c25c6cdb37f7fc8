package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
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
 * Found in review (2026-12-07) of the refusal to make a lost consumer group again (92e404dc) against docs/OPERATIONS.md:304 ("a stream whose entry ids are used up ... Fix: XDEL ... and XSETID
 * ..., or delete the stream; then restart"). A task that committed the entry at the last possible id records
 * 'acked.&lt;key&gt;' = 18446744073709551615-0. After the documented "delete the stream; then restart" the start is now
 * refused, and the refusal's own advice (XGROUP CREATE &lt;key&gt; &lt;group&gt; &lt;acked&gt; MKSTREAM) puts the group past every id
 * the re-created stream will ever get: nothing written to it afterwards is ever delivered, silently.
 */
class DeletedExhaustedStreamRefusalTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void theDocumentedDeleteTheStreamFixStillRestartsAndTheAdviceDeliversNewEntries() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String slot = ns + ":{" + ns + ".0}:";
        String in = slot + "s:in", lease = slot + "lease", meta = slot + "meta:app.0";
        redis.opsForValue().set(lease, "token").block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "bad")).withId(RecordId.of("18446744073709551615-0"))).block(T);
        StreamAdmin admin = new StreamAdmin(redis);
        admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T);
        List<String> read = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        CommitBatch commit = new CommitBatch();
        read.forEach(id -> commit.ack(in, id));
        new CommitScript(redis, null).commit(commit, lease, meta, "token", "app.0", 0,
                new DedupeWindow(slot + "dedupe-log:app.0", Long.MIN_VALUE, 0), "run").block(T);

        redis.delete(in).block(T);   // docs/OPERATIONS.md: "... or delete the stream; then restart"
        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        String advice = refused == null ? "" : refused.getMessage();
        if (refused != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("XGROUP CREATE (\\S+) (\\S+) (\\S+) ").matcher(advice);
            assertThat(m.find()).isTrue();
            redis.opsForStream().createGroup(in, ReadOffset.from(m.group(3)), "app.0").block(T);   // follow the advice
        }
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "2"))).block(T);   // a producer writes on
        List<String> delivered = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("entries written after the documented fix (refused: %s)", advice).hasSize(1);
    }
}
