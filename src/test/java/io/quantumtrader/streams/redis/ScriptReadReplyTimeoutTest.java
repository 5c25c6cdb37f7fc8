package io.quantumtrader.streams.redis;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's read through {@code read-group.lua} (the Redis Cluster path) whose reply never reaches the reader fails
 * after {@link PartitionReader#READ_TIMEOUT} instead of waiting for ever, and what that consumer had read stays in
 * its pending list for the restarted reader. On a Redis Cluster such a reply once held a task for good, its entry
 * pending and its partition unread (EventTimeAlignmentOnClusterTest; docs/BENCHMARKS.md, 2026-12-05 03:23 section).
 * Here a proxy in front of a real Redis keeps the replies back ({@link ReplyHoldingProxy}).
 */
class ScriptReadReplyTimeoutTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aReadWhoseReplyNeverComesFailsAfterTheTimeoutAndTheRestartedReaderReadsItsPendingEntryFirst() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        RecordId first = direct.opsForStream().add(stream, Map.of("n", "1")).block(T);
        direct.opsForStream().add(stream, Map.of("n", "2")).block(T);
        direct.opsForStream().createGroup(stream, ReadOffset.from("0"), "g").block(T);
        direct.opsForValue().set(lease, "7").block(T);
        // the consumer read the first entry and did not commit it (it is in its pending list)
        direct.opsForStream().read(Consumer.from("g", "c1"), StreamReadOptions.empty().count(1),
                StreamOffset.create(stream, ReadOffset.lastConsumed())).collectList().block(T);

        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            assertThat(viaProxy.template().opsForValue().get(lease).block(T)).as("through the proxy").isEqualTo("7");
            PartitionReader reader = new PartitionReader(viaProxy.template(), "g", "c1", Map.of(stream, "s"), 0, 10,
                    Duration.ofMillis(2), Duration.ofMillis(100), lease, "7");
            proxy.holdReplies();
            long started = System.nanoTime();
            StepVerifier.create(reader.receiveBatches())
                    .expectError(TimeoutException.class)
                    .verify(Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                    PartitionReader.READ_TIMEOUT.minusMillis(100));
            reader.stop();
            proxy.close(); // before the connection: its close would wait for replies that do not come
        }

        // the task restarts: a new reader of the same consumer reads its pending entry before anything new
        PartitionReader restarted = new PartitionReader(direct, "g", "c1", Map.of(stream, "s"), 0, 10,
                Duration.ofMillis(2), Duration.ofMillis(100), lease, "7");
        List<StreamEntry> batch = restarted.receiveBatches().blockFirst(T);
        restarted.stop();
        assertThat(batch).isNotEmpty();
        assertThat(batch.get(0).id()).isEqualTo(first.getValue());
    }
}
