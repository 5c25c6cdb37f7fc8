package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.runtime.InputAligner;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Found in review (2026-12-07) of the refusal to make a lost consumer group again (92e404dc): commit.lua records 'acked.&lt;key&gt;' as the LAST id of the commit's ack list for the key, not the
 * highest. On a merged input (a repartition stream written by several producer tasks) InputAligner releases the
 * entries by event time, so the batch (and its ack list, StreamTask.processBatch: batch.forEach(commit.ack)) is not in
 * id order. The refusal then says "committed entries of it up to 1-0" and its XGROUP CREATE re-delivers 2-0, which the
 * task had committed: processed twice, past the dedupe window -- the very thing the refusal is there to prevent.
 */
class AckedOnMergedInputTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-01-02T00:00:00Z");

    @Test
    void theRefusalsResumeIdIsTheHighestCommittedIdOnAMergedInput() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String slot = ns + ":{" + ns + ".0}:";
        String in = slot + "s:by-account-repartition", lease = slot + "lease", meta = slot + "meta:app.3";
        redis.opsForValue().set(lease, "token").block(T);
        // two producers' entries: 1-0 stamped 20 s, 2-0 stamped 10 s
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "1")).withId(RecordId.of("1-0"))).block(T);
        redis.opsForStream().add(MapRecord.create(in, Map.of("n", "2")).withId(RecordId.of("2-0"))).block(T);
        new StreamAdmin(redis).ensureGroup(in, "app.3", "in-source", meta, T).block(T);   // records its source
        redis.opsForStream().read(Consumer.from("app.3", "c"), StreamOffset.create(in, ReadOffset.lastConsumed())).collectList().block(T);

        InputAligner aligner = new InputAligner(List.of(in), java.util.Set.of(in), null, () -> 0L);
        aligner.offer(List.of(entry(in, "1-0", 20, "MSFT"), entry(in, "2-0", 10, "AAPL")));
        aligner.watermark(in, Long.MAX_VALUE);
        List<StreamEntry> batch = aligner.release();
        assertThat(batch).extracting(StreamEntry::id).containsExactly("2-0", "1-0");   // by event time

        CommitBatch commit = new CommitBatch();
        batch.forEach(e -> commit.ack(in, e.id()));          // as StreamTask.processBatch does
        new CommitScript(redis, null).commit(commit, lease, meta, "token", "app.3", 0,
                new DedupeWindow(slot + "dedupe-log:app.3", Long.MIN_VALUE, 0), "run").block(T);

        // the group is lost; the start refuses and names the XGROUP CREATE that "resumes after" the committed entries
        redis.opsForStream().destroyGroup(in, "app.3").block(T);
        Throwable refused = catchThrowable(() -> new StreamAdmin(redis).ensureGroup(in, "app.3", "in-source", meta, T).block(T));
        assertThat(refused).isInstanceOf(ScriptRefusedException.class);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("XGROUP CREATE (\\S+) (\\S+) (\\S+) ")
                .matcher(refused.getMessage());
        assertThat(m.find()).isTrue();
        redis.opsForStream().createGroup(in, ReadOffset.from(m.group(3)), "app.3").block(T);
        List<String> again = redis.opsForStream().read(Consumer.from("app.3", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(again).as("entries re-delivered after following the refusal's advice (%s); both were committed",
                m.group(0)).isEmpty();
    }

    /**
     * The other direction: a batch released by event time acknowledges 3-0, 1-0, 4-0 while 2-0 (later event time) is
     * still held by the aligner, pending. 'acked.' says 4-0; the advised XGROUP CREATE at 4-0 never delivers 2-0: lost.
     */
    @Test
    void followingTheRefusalsAdviceDoesNotLoseAnEntryTheAlignerStillHeld() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String slot = ns + ":{" + ns + ".0}:";
        String in = slot + "s:ticks-by-account-repartition", lease = slot + "lease", meta = slot + "meta:app.3";
        redis.opsForValue().set(lease, "token").block(T);
        for (int n = 1; n <= 4; n++) {
            redis.opsForStream().add(MapRecord.create(in, Map.of("n", "" + n)).withId(RecordId.of(n + "-0"))).block(T);
        }
        new StreamAdmin(redis).ensureGroup(in, "app.3", "in-source", meta, T).block(T);   // records its source
        redis.opsForStream().read(Consumer.from("app.3", "c"), StreamOffset.create(in, ReadOffset.lastConsumed())).collectList().block(T);

        InputAligner aligner = new InputAligner(List.of(in), java.util.Set.of(in), null, () -> 0L);
        aligner.offer(List.of(entry(in, "1-0", 10, "MSFT"), entry(in, "2-0", 20, "MSFT"),
                entry(in, "3-0", 10, "AAPL"), entry(in, "4-0", 15, "AAPL")));
        aligner.watermark(in, T0.plusSeconds(16).toEpochMilli());
        List<StreamEntry> batch = aligner.release();
        assertThat(batch).extracting(StreamEntry::id).containsExactly("3-0", "1-0", "4-0");   // 2-0 held

        CommitBatch commit = new CommitBatch();
        batch.forEach(e -> commit.ack(in, e.id()));
        new CommitScript(redis, null).commit(commit, lease, meta, "token", "app.3", 0,
                new DedupeWindow(slot + "dedupe-log:app.3", Long.MIN_VALUE, 0), "run").block(T);
        redis.opsForStream().destroyGroup(in, "app.3").block(T);
        Throwable refused = catchThrowable(() -> new StreamAdmin(redis).ensureGroup(in, "app.3", "in-source", meta, T).block(T));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("XGROUP CREATE (\\S+) (\\S+) (\\S+) ")
                .matcher(refused.getMessage());
        assertThat(m.find()).isTrue();
        redis.opsForStream().createGroup(in, ReadOffset.from(m.group(3)), "app.3").block(T);
        List<String> delivered = redis.opsForStream().read(Consumer.from("app.3", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .map(r -> r.getId().getValue()).collectList().block(T);
        assertThat(delivered).as("after the advice (%s): 2-0 was never processed", m.group(0)).contains("2-0");
    }

    private static StreamEntry entry(String stream, String id, long seconds, String subject) {
        return new StreamEntry(stream, stream, 0, id, Map.of("time", T0.plusSeconds(seconds).toString(), "subject", subject));
    }
}
