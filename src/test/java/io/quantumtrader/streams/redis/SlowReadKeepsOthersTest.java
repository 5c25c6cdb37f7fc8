package io.quantumtrader.streams.redis;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review of this session's fixes (2026-12-07): one task's read times out (a Redis slow for 5.6 s) and closes the shared fenced-read connection; another
 * task's read, sent 1.5 s later on the same connection and answered within its own 5 s, must still succeed.
 */
class SlowReadKeepsOthersTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aReadThatWouldBeAnsweredInTimeIsNotKilledByAnotherReadsTimeout() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        for (int p = 0; p < 2; p++) {
            String key = ns + ":{p" + p + "}:s";
            for (int i = 1; i <= 3; i++) {
                direct.opsForStream().add(key, Map.of("n", Integer.toString(i))).block(T);
            }
            direct.opsForStream().createGroup(key, ReadOffset.from("0"), "g").block(T);
            direct.opsForValue().set(ns + ":{p" + p + "}:lease", "7").block(T);
        }
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             FencedReadConnection fast = FencedReadConnection.open(viaProxy.template()).orElseThrow()) {
            proxy.delayRepliesAfter("First step of a fenced read", Duration.ofMillis(5600));
            CompletableFuture<GroupRead> a = read(fast, ns, 0).toFuture();
            Thread.sleep(1500);
            CompletableFuture<GroupRead> b = read(fast, ns, 1).toFuture();
            Throwable aError = null;
            try {
                a.get();
            } catch (Exception e) {
                aError = e.getCause();
            }
            assertThat(aError).as("read A timed out (5.6 s > 5 s)").isInstanceOf(java.util.concurrent.TimeoutException.class);
            GroupRead bRead;
            try {
                bRead = b.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("read B (answered 4.1 s after it was sent) failed: " + e.getCause(), e.getCause());
            }
            assertThat(bRead.entries()).hasSize(3);
        }
    }

    private static reactor.core.publisher.Mono<GroupRead> read(FencedReadConnection fast, String ns, int p) {
        String key = ns + ":{p" + p + "}:s";
        return fast.read(ns + ":{p" + p + "}:lease", ns + ":{p" + p + "}:fenced-read", "7", "g", "c1", List.of(key),
                List.of(">"), List.of("-"), 10, new ReadStreams(Map.of(key, "s"), "", p));
    }
}
