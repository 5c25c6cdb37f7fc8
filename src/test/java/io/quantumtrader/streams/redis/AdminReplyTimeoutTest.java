package io.quantumtrader.streams.redis;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's lease acquire and the scripts of its restore (consumer group, PEL claim) whose reply never comes fail after
 * {@link StreamAdmin#ATTEMPT_TIMEOUT}, so the task restarts and tries again, instead of waiting for the client's
 * command timeout (60 s, several lease TTLs). Found in review (2026-12-05). A proxy in front of a real Redis keeps the
 * replies back ({@link ReplyHoldingProxy}), as a connection gone silent would.
 */
class AdminReplyTimeoutTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aLeaseAcquireAndARestoreWhoseReplyNeverComesFailAfterTheAttemptTimeout() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            StreamAdmin admin = new StreamAdmin(viaProxy.template());
            assertThat(admin.ensureGroup(stream, "g").block(T)).as("through the proxy").isTrue();
            // loads the script (EVALSHA's NOSCRIPT reply would be held too, and EVAL never sent)
            assertThat(admin.acquireLease(lease, ns + ":{p0}:fence", ns + ":{p0}:owner", "a", Duration.ofSeconds(60))
                    .block(T)).startsWith("1:");
            proxy.holdReplies();

            expectTimeout(admin.acquireLease(lease, ns + ":{p0}:fence", ns + ":{p0}:owner", "a", Duration.ofSeconds(60)));
            expectTimeout(admin.ensureGroup(stream, "g"));
            expectTimeout(admin.claimPending(stream, lease, ns + ":{p0}:dlq", "g", "a", Duration.ZERO, "1:00", "s", 0, "0_0"));
            proxy.close(); // before the connection: its close would wait for replies that do not come
        }
        // Redis ran the acquire whose reply was held: the next attempt takes the lease again, under a new token
        String token = new StreamAdmin(direct).acquireLease(lease, ns + ":{p0}:fence", ns + ":{p0}:owner", "a",
                Duration.ofSeconds(10)).block(T);
        assertThat(token).startsWith("3:");
    }

    private static void expectTimeout(Mono<?> command) {
        long started = System.nanoTime();
        StepVerifier.create(command)
                .expectError(TimeoutException.class)
                .verify(StreamAdmin.ATTEMPT_TIMEOUT.plusSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(StreamAdmin.ATTEMPT_TIMEOUT.minusMillis(100));
    }
}
