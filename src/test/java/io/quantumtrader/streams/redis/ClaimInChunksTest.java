package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim at a task's start walks the pending list in calls of bounded work ({@link StreamAdmin#CLAIM_CHUNK}), each
 * going on where the last stopped under the same token, so a pending list of millions neither holds Redis for seconds
 * nor outlasts {@link StreamAdmin#ATTEMPT_TIMEOUT}. Found in review (2026-12-05): with 3.5 million entries pending the
 * one-script claim took longer than the timeout, and every restart ran the same claim again: the task never started.
 * The totals of a claim in chunks are those of one claim of everything, dead letters included, and a call sent again
 * after the claim is done changes nothing.
 */
class ClaimInChunksTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void aClaimInChunksWalksAtMostAChunkPerCallAndEndsWithTheWholeTotals() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        String dlq = ns + ":{p0}:s.dlq";
        redis.execute(RedisScript.of("for i = 1, 5500 do redis.call('XADD', KEYS[1], '*', 'n', i) end "
                + "redis.call('XGROUP', 'CREATE', KEYS[1], 'g', '0') "
                + "redis.call('XREADGROUP', 'GROUP', 'g', 'dead', 'STREAMS', KEYS[1], '>') return 1", Long.class),
                List.of(stream), List.of()).blockLast(T);
        // seven pending entries trimmed away before anyone processed them: one in the first chunk, six later
        List<String> ids = redis.opsForStream().range(stream, org.springframework.data.domain.Range.unbounded())
                .map(r -> r.getId().getValue()).collectList().block(T);
        for (int i : new int[]{10, 1500, 2500, 3500, 4500, 5000, 5499}) {
            redis.opsForStream().delete(stream, ids.get(i)).block(T);
        }
        redis.opsForValue().set(lease, "1:ab").block(T);
        StreamAdmin admin = new StreamAdmin(redis);

        // one call walks one chunk and keeps where it stopped
        @SuppressWarnings("rawtypes")
        List first = redis.execute(LuaScript.springScript("claim-pending.lua", List.class),
                List.of(stream, lease, dlq, StreamKeys.deletedUnread(stream)),
                List.of("g", "a", "0", "1:ab", "s", "0", "0_0", "1000")).blockLast(T);
        assertThat(((Number) first.get(6)).longValue()).as("done").isZero();
        assertThat(((Number) first.get(0)).longValue() + ((Number) first.get(1)).longValue()).as("walked").isEqualTo(1000);
        assertThat(redis.<String, String>opsForHash().get(StreamKeys.deletedUnread(stream), "#claim:g").block(T))
                .startsWith("1:ab 999 1 ");

        // the caller goes on under the same token until done
        StreamAdmin.Claim claim = admin.claimPending(stream, lease, dlq, "g", "a", Duration.ZERO, "1:ab", "s", 0, "0_0", 1000)
                .block(T);
        assertThat(claim.claimed()).isEqualTo(5493);
        assertThat(claim.deadLettered()).isEqualTo(7);
        assertThat(redis.opsForStream().size(dlq).block(T)).isEqualTo(7);
        assertThat(redis.opsForStream().pending(stream, "g").block(T).getTotalPendingMessages()).isEqualTo(5493);
        assertThat(claim.newestPending()).isEqualTo(ids.get(5498));

        // sent again (a reply lost): the same outcome, nothing claimed or dead-lettered again
        StreamAdmin.Claim again = admin.claimPending(stream, lease, dlq, "g", "a", Duration.ZERO, "1:ab", "s", 0, "0_0", 1000)
                .block(T);
        assertThat(again.claimed()).isEqualTo(5493);
        assertThat(again.deadLettered()).isEqualTo(7);
        assertThat(redis.opsForStream().size(dlq).block(T)).isEqualTo(7);
    }
}
