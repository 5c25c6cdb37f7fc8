package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State writes reach {@code commit.lua} in runs (consecutive sets or deletes on one hash, one {@code HSET} or
 * {@code HDEL} per run of up to 500 fields): every write lands, in the order the batch made them, also when a run is
 * longer than one call and when a field is set, deleted and set again within the batch.
 */
class CommitStateRunsTest {

    @Test
    void everyStateWriteLandsInOrderAcrossRunsAndCalls() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String lease = ns + ":{t}:lease";
        String a = ns + ":{t}:a";
        String b = ns + ":{t}:b";
        redis.opsForValue().set(lease, "token").block();
        redis.opsForHash().put(b, "stale", "x").block();

        CommitBatch batch = new CommitBatch();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 1_200; i++) { // one run of 1,200 sets: three HSET calls
            batch.put(a, "f" + i, "v" + i);
            expected.put("f" + i, "v" + i);
        }
        batch.put(b, "x", "1");
        for (int i = 0; i < 600; i++) { // deletes of fields set earlier in the same batch
            batch.delete(a, "f" + i);
            expected.remove("f" + i);
        }
        batch.put(a, "f0", "again"); // set right after its delete, on the same hash: the order decides
        expected.put("f0", "again");
        batch.put(a, "tmp", "1");
        batch.delete(a, "tmp"); // and a delete right after a set
        batch.delete(b, "stale");

        Long acked = new CommitScript(redis, null).commit(batch, lease, ns + ":{t}:meta", "token", "g", 0,
                new DedupeWindow(ns + ":{t}:dedupe-log", Long.MIN_VALUE, 0), "run-1").block();

        assertThat(acked).isZero();
        assertThat(batch.stateWriteCount()).isEqualTo(1_200 + 1 + 600 + 1 + 2 + 1);
        assertThat(redis.<String, String>opsForHash().entries(a).collectMap(Map.Entry::getKey, Map.Entry::getValue).block())
                .isEqualTo(expected);
        assertThat(redis.<String, String>opsForHash().entries(b).collectMap(Map.Entry::getKey, Map.Entry::getValue).block())
                .isEqualTo(Map.of("x", "1"));
        assertThat(redis.opsForHash().get(ns + ":{t}:meta", "commit-seq").block()).isEqualTo("1");
    }
}
