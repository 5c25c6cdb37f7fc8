package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.CommitConnection;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CommitConnection} sends scripts in the order they are subscribed, whatever thread subscribes: a task pipelines
 * its commits on that promise (commit.lua's sequence check fails a commit that overtook its predecessor, and the task
 * restarts). Lettuce writes a command at once when it is dispatched on the connection's own I/O thread (the
 * continuation of a reply that completed there) but queues it as a task of that thread from any other, so without a
 * dispatcher thread a script subscribed on the I/O thread overtook one subscribed just before it elsewhere.
 */
class CommitConnectionOrderTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final byte[] PUSH = "return redis.call('RPUSH', KEYS[1], ARGV[1])".getBytes(StandardCharsets.UTF_8);

    private final ReactiveStringRedisTemplate redis = template();
    private final CommitConnection commits = CommitConnection.open(redis).orElseThrow();

    @AfterEach
    void close() {
        commits.close();
    }

    @Test
    void aScriptSubscribedOnTheConnectionsIoThreadDoesNotOvertakeOneSubscribedBeforeIt() throws Exception {
        String list = RedisTestSupport.freshNamespace() + ":order";
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(PUSH));
        assertThat(commits.load(PUSH).block(T)).isEqualTo(sha1);
        Channel channel = LettuceChannel.of(commits);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch firstSubscribed = new CountDownLatch(1);
        CompletableFuture<Long> second = new CompletableFuture<>();
        channel.eventLoop().execute(() -> { // the I/O thread, busy until the first script is subscribed elsewhere
            busy.countDown();
            try {
                firstSubscribed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commits.eval(sha1, PUSH, keys(list), args("second")).subscribe(second::complete, second::completeExceptionally);
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> first = commits.eval(sha1, PUSH, keys(list), args("first")).toFuture();
        firstSubscribed.countDown();

        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(redis.opsForList().range(list, 0, -1).collectList().block(T)).containsExactly("first", "second");
    }

    private static byte[][] keys(String key) {
        return new byte[][] {key.getBytes(StandardCharsets.UTF_8)};
    }

    private static byte[][] args(String value) {
        return new byte[][] {value.getBytes(StandardCharsets.UTF_8)};
    }
}
