package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Found in review (2026-12-07) of the refusal to make a lost consumer group again (92e404dc): create-group.lua's new check treats a key of another type as "the group is gone" (exists = false
 * when TYPE is not stream) and answers "is gone ... Was it destroyed, or did Redis lose part of its data? ... XGROUP
 * CREATE ... MKSTREAM", advice that fails with WRONGTYPE. Before, the same start failed naming the wrong type (the
 * docs/OPERATIONS.md row "a key of the wrong type": "fix the key (e.g. DEL a foreign key in our namespace)").
 */
class WrongTypeMisreportedAsLostGroupTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aKeyOfAnotherTypeIsReportedAsSuchNotAsALostGroup() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String slot = ns + ":{" + ns + ".0}:";
        String in = slot + "s:in", lease = slot + "lease", meta = slot + "meta:app.0";
        redis.opsForValue().set(lease, "token").block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        StreamAdmin admin = new StreamAdmin(redis);
        admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T);
        List<String> read = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        CommitBatch commit = new CommitBatch();
        read.forEach(id -> commit.ack(in, id));
        new CommitScript(redis, null).commit(commit, lease, meta, "token", "app.0", 0,
                new DedupeWindow(slot + "dedupe-log:app.0", Long.MIN_VALUE, 0), "run").block(T);

        redis.delete(in).block(T);
        redis.opsForValue().set(in, "a foreign string key").block(T);
        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        assertThat(refused).isNotNull();
        assertThat(RedisErrors.rootMessage(refused)).as("the refusal of a key holding a string").containsIgnoringCase("WRONGTYPE")
                .doesNotContain("is gone");
    }
}
