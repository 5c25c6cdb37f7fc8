package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.ScriptRefusedException;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.LuaScript;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Streams whose entry ids are used up (review of 2026-12-06): anybody can XADD an entry at the largest millisecond
 * Redis allows ({@value #LAST_ID}), after which {@code XADD key *} fails with "ERR The stream has exhausted the last
 * possible ID". The scripts that XADD * failed there after their first writes (Redis does not roll a script back): a
 * commit appended its outputs to the streams before the exhausted one, restarted and appended them again, for ever
 * (5 copies of one output in 5 s); a claim lost the deleted pending entries it could not dead-letter; a read counted a
 * loss it could not dead-letter, at every read; the publisher appended part of a batch. Now each script checks every
 * stream it will append to before its first write and refuses with a reason naming the stream: nothing is written,
 * and a task stops with that reason instead of looping.
 */
@Timeout(90)
class ExhaustedStreamIdsTest {

    /** The largest entry id Redis allows: both parts 2^64 - 1. */
    static final String LAST_ID = "18446744073709551615-18446744073709551615";

    private static final Duration T = Duration.ofSeconds(30);

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("exhausted");
        EventStream<String, String> in = b.stream("x-in", String.class);
        in.mapValues(v -> v + "-a", Named.as("to-a")).to("x-a");
        in.mapValues(v -> v + "-b", Named.as("to-b")).to("x-b");
        return b.build();
    }

    /** Puts an entry at {@link #LAST_ID} into {@code key}, as a foreign writer (or a bug) may. */
    static void exhaust(ReactiveStringRedisTemplate redis, String key) {
        redis.opsForStream().add(MapRecord.create(key, Map.of("x", "y")).withId(RecordId.of(LAST_ID))).block(T);
    }

    @Test
    void aCommitIntoAStreamWithItsIdsUsedUpWritesNothingAndStopsItsTaskWithTheReason() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String xb = keys.stream("x-b", 0);
        exhaust(redis, xb);
        RedisTestSupport.publisher(ns, StreamCatalog.defaults())
                .sendAll(Flux.just(new Event("x-in", "k", "v1", 1_000_000_000_000L, "e-1")), 10).block(T);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, redis)) {
            runtime.start();
            // before the fix the task restarted into the same failing commit, appending x-a's output each time
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR
                    || runtime.counters().restarts() >= 3);
            assertThat(RedisTestSupport.length(ns, "x-a", 0)).as("no output of the refused commit").isZero();
            assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
            assertThat(RedisTestSupport.length(ns, "x-b", 0)).as("only the foreign entry").isEqualTo(1);
            assertThat(runtime.counters().restarts()).as("refused for good: not retried").isZero();
            assertThat(runtime.counters().commits()).isZero();
            assertThat(runtime.group().failing().values()).as("health names the stream and the cause")
                    .anyMatch(cause -> cause.contains(xb) && cause.contains("used up its entry ids"));
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "system.alert.triggered", 0) > 0);
            assertThat(RedisTestSupport.entries(ns, "system.alert.triggered", 0).get(0).get("data"))
                    .contains("CRITICAL").contains(xb).contains("XSETID").contains("commit refused");
        }

        // the operator deletes the stream: the batch is processed once
        redis.delete(xb).block(T);
        try (StreamsRuntime fixed = new StreamsRuntime(topology(), config, redis)) {
            fixed.start();
            assertThat(fixed.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(RedisTestSupport.values(ns, "x-a", 0, String.class)).containsExactly("v1-a");
        assertThat(RedisTestSupport.values(ns, "x-b", 0, String.class)).containsExactly("v1-b");
    }

    @Test
    void theOperatorsFixInTheMessageLetsTheStreamTakeEntriesAgain() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String key = RedisTestSupport.freshNamespace() + ":s";
        redis.opsForStream().add(MapRecord.create(key, Map.of("x", "1")).withId(RecordId.of("5-0"))).block(T);
        exhaust(redis, key);
        assertThatThrownBy(() -> redis.opsForStream().add(MapRecord.create(key, Map.of("x", "2"))).block(T))
                .hasStackTraceContaining("exhausted");
        // XDEL the entries there, then XSETID back with MAXDELETEDID, as the REJECTED message says
        redis.opsForStream().delete(key, LAST_ID).block(T);
        redis.execute(RedisScript.of("return redis.call('XSETID', KEYS[1], '5-0', 'MAXDELETEDID', '5-0')", String.class),
                List.of(key), List.of()).blockLast(T);
        assertThat(redis.opsForStream().add(MapRecord.create(key, Map.of("x", "3"))).block(T)).isNotNull();
    }

    @Test
    void theClaimRefusesBeforeTakingDeletedEntriesOutOfThePendingListWhenItCannotDeadLetterThem() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        String dlq = ns + ":{p0}:s.dlq";
        redis.execute(RedisScript.of("for i = 1, 3 do redis.call('XADD', KEYS[1], '*', 'n', i) end "
                        + "redis.call('XGROUP', 'CREATE', KEYS[1], 'g', '0') "
                        + "redis.call('XREADGROUP', 'GROUP', 'g', 'dead', 'STREAMS', KEYS[1], '>') return 1", Long.class),
                List.of(stream), List.of()).blockLast(T);
        String deleted = redis.opsForStream().range(stream, org.springframework.data.domain.Range.unbounded())
                .map(r -> r.getId().getValue()).blockFirst(T);
        redis.opsForStream().delete(stream, deleted).block(T);   // pending, then deleted: the claim dead-letters it
        exhaust(redis, dlq);
        redis.opsForValue().set(lease, "1:ab").block(T);

        Throwable refused = catchThrowable(() -> new StreamAdmin(redis).claimPending(stream, lease, dlq, "g", "a",
                Duration.ZERO, "1:ab", "s", 0, "0_0").block(T));
        assertThat(redis.opsForStream().pending(stream, "g").block(T).getTotalPendingMessages())
                .as("the deleted entry is still pending: claimed once the dead-letter stream takes entries again").isEqualTo(3);
        assertThat(redis.opsForStream().size(dlq).block(T)).isEqualTo(1);
        assertThat(refused).isInstanceOf(ScriptRefusedException.class)
                .satisfies(e -> assertThat(((ScriptRefusedException) e).isTransient()).isFalse())
                .satisfies(e -> assertThat(((ScriptRefusedException) e).script()).isEqualTo(ScriptRefusedException.Script.CLAIM))
                .hasMessageStartingWith("claim refused: ")
                .hasMessageContaining(dlq).hasMessageContaining("used up its entry ids");
    }

    @Test
    void aReadRefusesBeforeCountingALossItCannotDeadLetter() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        String dlq = ns + ":{p0}:s.dlq";
        String marks = StreamKeys.deletedUnread(stream);
        redis.execute(RedisScript.of("redis.call('XGROUP', 'CREATE', KEYS[1], 'g', '0', 'MKSTREAM') "
                        + "for i = 1, 3 do redis.call('XADD', KEYS[1], '*', 'n', i) end "
                        + "redis.call('XTRIM', KEYS[1], 'MAXLEN', 1) return 1", Long.class),
                List.of(stream), List.of()).blockLast(T);   // two entries trimmed before the group read them
        exhaust(redis, dlq);
        redis.opsForValue().set(lease, "1:ab").block(T);

        Throwable refused = catchThrowable(() -> redis.execute(LuaScript.springScript("read-group.lua", List.class),
                        List.of(lease, stream, marks, dlq), List.of("1:ab", "g", "a", "10", ">", "-", "0_0", "0", "s"))
                .blockLast(T));
        assertThat(redis.<String, String>opsForHash().entries(marks).collectMap(Map.Entry::getKey, Map.Entry::getValue).block(T))
                .as("the loss is not counted (it is, once, when it can be dead-lettered)").isEmpty();
        assertThat(redis.opsForStream().size(dlq).block(T)).isEqualTo(1);
        assertThat(refused).hasStackTraceContaining("REJECTED").hasStackTraceContaining(dlq)
                .hasStackTraceContaining("used up its entry ids");
    }

    /**
     * The standalone transaction read (read-fence-begin, deleted-unread, XREADGROUP, read-fence-end): a refused report
     * writes nothing and the read is undone, so the group stays before the loss and reports it once it can.
     */
    @Test
    void aReadThatCannotReportEntriesDeletedUnreadStopsItsTaskBeforeThemAndReportsThemOnceFixed() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String in = keys.stream("x-in", 0);
        String dlq = keys.stream("x-in.dlq", 0);
        new StreamAdmin(redis).ensureGroup(in, StreamKeys.group("exhausted", 0)).block(T);
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(Flux.range(1, 5)
                .map(i -> new Event("x-in", "k", "v" + i, 1_000_000_000_000L + i, "e-" + i)), 10).block(T);
        redis.opsForStream().trim(in, 2).block(T);   // v1..v3 deleted before the group read them
        exhaust(redis, dlq);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR
                    || runtime.counters().restarts() >= 3 || RedisTestSupport.length(ns, "x-a", 0) > 0);
            String group = StreamKeys.group("exhausted", 0);
            assertThat(redis.<String, String>opsForHash().multiGet(StreamKeys.deletedUnread(in),
                    List.of("#entries:" + group, "#unknown:" + group)).block(T)).as("nothing counted").containsOnlyNulls();
            assertThat(RedisTestSupport.length(ns, "x-a", 0)).as("not read past the loss").isZero();
            assertThat(redis.opsForStream().pending(in, StreamKeys.group("exhausted", 0)).block(T).getTotalPendingMessages())
                    .as("the read was undone").isZero();
            assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
            assertThat(runtime.counters().restarts()).isZero();
            assertThat(runtime.group().failing().values())
                    .anyMatch(cause -> cause.contains(dlq) && cause.contains("used up its entry ids"));
            // the health and the alert name the refused script: a read, not a commit (review of 2026-12-06: both
            // said "commit refused")
            assertThat(runtime.group().failing().values()).as("health names the read")
                    .anyMatch(cause -> cause.startsWith("read refused: ")).noneMatch(cause -> cause.contains("commit"));
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "system.alert.triggered", 0) > 0);
            assertThat(RedisTestSupport.entries(ns, "system.alert.triggered", 0).get(0).get("data")).as("the alert names the read")
                    .contains("read refused: ").contains(dlq).doesNotContain("commit refused");
        }

        redis.delete(dlq).block(T);
        try (StreamsRuntime fixed = new StreamsRuntime(topology(), config, redis)) {
            fixed.start();
            assertThat(fixed.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(RedisTestSupport.values(ns, "x-a", 0, String.class)).containsExactly("v4-a", "v5-a");
        assertThat(RedisTestSupport.entries(ns, "x-in.dlq", 0)).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("error.deleted_count", "3"));
    }

    @Test
    void thePublisherAppendsNothingOfABatchWithAStreamWhoseIdsAreUsedUp() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        exhaust(redis, keys.stream("p-b", 0));
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        Throwable refused = catchThrowable(() -> publisher.sendAll(Flux.just(new Event("p-a", "k", "v1", 1L, "e-1"),
                new Event("p-b", "k", "v2", 2L, "e-2")), 10).block(T));
        assertThat(RedisTestSupport.length(ns, "p-a", 0)).as("nothing of the batch").isZero();
        assertThat(refused).isInstanceOf(ScriptRefusedException.class)
                .hasMessageStartingWith("append refused: ")
                .hasMessageContaining(keys.stream("p-b", 0)).hasMessageContaining("used up its entry ids");
    }
}
