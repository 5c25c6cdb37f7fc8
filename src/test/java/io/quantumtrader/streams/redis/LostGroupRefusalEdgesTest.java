package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Cases the refusal to make a lost consumer group again (create-group.lua, its task having committed entries of the
 * stream) must not refuse, found in review (2026-12-07) of that change (92e404dc): (1) the documented fix of a stream
 * whose ids are used up, "delete the stream; then restart" (docs/OPERATIONS.md), was refused, and the refusal's advice
 * (XGROUP CREATE at 18446744073709551615-0) put the group past every id the new stream would get: nothing written to
 * it afterwards was ever delivered; (2) a key of another type was answered "the group is gone", with advice failing
 * with WRONGTYPE, where the start used to fail naming the wrong type.
 */
class LostGroupRefusalEdgesTest {

    private static final Duration T = Duration.ofSeconds(10);

    private final ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    private final String ns = RedisTestSupport.freshNamespace();
    private final String slot = ns + ":{" + ns + ".0}:";
    private final String in = slot + "s:in";
    private final String meta = slot + "meta:app.0";
    private final StreamAdmin admin = new StreamAdmin(redis);

    /** Makes the group, reads every entry of {@code in} and commits them as task app.0 does. */
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
    void theDocumentedDeleteTheStreamFixStillRestartsAndNewEntriesAreDelivered() {
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "bad")).withId(RecordId.of("18446744073709551615-0"))).block(T);
        commitEverything();

        redis.delete(in).block(T);   // docs/OPERATIONS.md: "... or delete the stream; then restart"
        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        assertThat(refused).as("the documented fix is not refused").isNull();
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "2"))).block(T);   // a producer writes on
        List<String> delivered = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("entries written after the documented fix").hasSize(1);
    }

    /**
     * The same fix with a producer writing before the task's restart (its XADD * works again right after the DEL), the
     * usual order: found in review (2026-12-08), 'acked' (at the huge id) was above every new entry, the start was
     * refused and its advice skipped them all. A stream whose last id is below 'acked' is now the stream that was gone.
     */
    @Test
    void theDeleteTheStreamFixIsNotRefusedWhenAProducerWroteBeforeTheRestart() {
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "bad")).withId(RecordId.of("18446744073709551615-0"))).block(T);
        commitEverything();

        redis.delete(in).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "2"))).block(T);   // a producer writes on at once
        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        assertThat(refused).as("the documented fix, with a producer writing before the task's restart").isNull();
        List<String> delivered = redis.opsForStream().read(Consumer.from("app.0", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("the entry written after the fix is delivered").hasSize(1);
    }

    /**
     * The fix made in place (XDEL the bad entry, XSETID back with MAXDELETEDID) keeps the stream and its committed
     * entries and also leaves the last id below 'acked': found in review (2026-12-08) of the case above, a first version
     * took it for a stream deleted and written again, made the lost group again at 0 and delivered every committed entry
     * again. Refused, as for any lost group whose committed entries are retained.
     */
    @Test
    void afterTheXsetidFixALostGroupDoesNotReprocessCommittedEntries() {
        for (int i = 1; i <= 3; i++) {
            redis.opsForStream().add(MapRecord.create(in, Map.of("n", "" + i)).withId(RecordId.of(i + "-0"))).block(T);
        }
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "bad")).withId(RecordId.of("18446744073709551615-0"))).block(T);
        commitEverything();
        redis.execute(RedisScript.of("redis.call('XDEL', KEYS[1], '18446744073709551615-0'); "
                + "redis.call('XSETID', KEYS[1], '3-0', 'MAXDELETEDID', '3-0'); "
                + "return redis.call('XGROUP', 'DESTROY', KEYS[1], 'app.0')", Long.class), List.of(in)).blockLast(T);

        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        List<String> delivered = refused != null ? List.of() : redis.opsForStream().read(Consumer.from("app.0", "c"),
                StreamOffset.create(in, ReadOffset.lastConsumed())).map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("committed entries delivered again to the group made again").doesNotContain("1-0", "2-0", "3-0");
    }

    @Test
    void aKeyOfAnotherTypeIsReportedAsSuchNotAsALostGroup() {
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1"))).block(T);
        commitEverything();

        redis.delete(in).block(T);
        redis.opsForValue().set(in, "a foreign string key").block(T);
        Throwable refused = catchThrowable(() -> admin.ensureGroup(in, "app.0", "in-source", meta, T).block(T));
        assertThat(refused).isNotNull();
        assertThat(RedisErrors.rootMessage(refused)).as("the refusal of a key holding a string").containsIgnoringCase("WRONGTYPE")
                .doesNotContain("is gone");
    }
}
