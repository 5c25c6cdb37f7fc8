package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code commit.lua} run twice for one commit, as Lettuce does when the connection dropped after Redis ran it and
 * before its reply came (every commit in flight: a task keeps two): the second run finds the commit made by the same
 * task run and returns what the first acknowledged, writing nothing; a commit of another run with the same sequence
 * still fails OUT_OF_SEQUENCE (a restarted run must never take a commit it did not make for its own).
 * LostRepliesChaosTest shows it in a whole run.
 */
class CommitSentTwiceTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void commitsSentAgainReturnWhatTheyAcknowledgedAndWriteNothing() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String task = RedisTestSupport.freshNamespace() + ":{t}:"; // every key of the task in one slot
        String lease = task + "lease", meta = task + "meta", in = task + "in", out = task + "out";
        redis.opsForValue().set(lease, "token").block(T);
        List<String> ids = new java.util.ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            ids.add(redis.opsForStream().add(in, Map.of("n", Integer.toString(n))).block(T).getValue());
        }
        String first = ids.get(0), second = ids.get(1), third = ids.get(2);
        redis.opsForStream().createGroup(in, ReadOffset.from("0"), "g").block(T);
        redis.opsForStream().read(Consumer.from("g", "c"), StreamOffset.create(in, ReadOffset.lastConsumed()))
                .collectList().block(T);

        CommitBatch one = new CommitBatch();
        one.put(task + "state", "k", "1");
        one.add(out, 0, Map.of("n", "out-1"));
        one.ack(in, first);
        one.ack(in, second);
        CommitBatch two = new CommitBatch();
        two.add(out, 0, Map.of("n", "out-2"));
        two.ack(in, third);
        CommitScript script = new CommitScript(redis, null);
        DedupeWindow dedupe = new DedupeWindow(task + "dedupe-log", Long.MIN_VALUE, 0);

        assertThat(script.commit(one, lease, meta, "token", "g", 0, dedupe, "run-a").block(T)).isEqualTo(2L);
        assertThat(script.commit(one, lease, meta, "token", "g", 0, dedupe, "run-a").block(T))
                .as("sent again: what the first run acknowledged").isEqualTo(2L);
        assertThat(script.commit(two, lease, meta, "token", "g", 1, dedupe, "run-a").block(T)).isEqualTo(1L);
        // both were in flight when the connection dropped: Lettuce sends both again, in order
        assertThat(script.commit(one, lease, meta, "token", "g", 0, dedupe, "run-a").block(T)).isEqualTo(2L);
        assertThat(script.commit(two, lease, meta, "token", "g", 1, dedupe, "run-a").block(T)).isEqualTo(1L);
        assertThat(redis.opsForStream().size(out).block(T)).as("each output once").isEqualTo(2L);
        assertThat(redis.opsForHash().get(meta, "commit-seq").block(T)).isEqualTo("2");

        assertThatThrownBy(() -> script.commit(one, lease, meta, "token", "g", 0, dedupe, "run-b").block(T))
                .as("another run's commit 1").isInstanceOf(CommitSequenceException.class);
        assertThat(redis.opsForStream().size(out).block(T)).isEqualTo(2L);

        // the lease moved before Lettuce sent a made commit again: it was made, so it answers (and writes nothing)
        redis.opsForValue().set(lease, "new-owner").block(T);
        assertThat(script.commit(two, lease, meta, "token", "g", 1, dedupe, "run-a").block(T)).isEqualTo(1L);
        CommitBatch three = new CommitBatch();
        three.add(out, 0, Map.of("n", "out-3"));
        assertThatThrownBy(() -> script.commit(three, lease, meta, "token", "g", 2, dedupe, "run-a").block(T))
                .as("a new commit under the lost lease").isInstanceOf(TaskFencedException.class);
        assertThat(redis.opsForStream().size(out).block(T)).isEqualTo(2L);
    }
}
