package io.quantumtrader.streams.redis;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fenced read that Redis ran but whose reply was lost with its connection: Lettuce reconnects and sends the read
 * again (its at-least-once default), and the second {@code XREADGROUP >} would return the entries after the lost
 * ones, which stay pending for the consumer, unseen until the task restarts (processed after newer records of their
 * keys, or never while it runs). The reader notices that its consumer holds entries after the last one it saw and
 * re-reads them from its pending list first: every entry comes once, in order. Both read paths: the transaction
 * ({@link FencedReadConnection}, a standalone Redis) and {@code read-group.lua} (a Redis Cluster, and Redis refusing
 * the transaction). A proxy in front of a real Redis loses the reply ({@link ReplyHoldingProxy}).
 */
class LostReadReplyTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aTransactionReadWhoseReplyWasLostIsReadAgainFromThePendingList() throws Exception {
        readsEveryEntryOnceInOrder(true);
    }

    @Test
    void aScriptReadWhoseReplyWasLostIsReadAgainFromThePendingList() throws Exception {
        readsEveryEntryOnceInOrder(false);
    }

    private static void readsEveryEntryOnceInOrder(boolean transaction) throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String stream = ns + ":{p0}:s";
        String lease = ns + ":{p0}:lease";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            ids.add(direct.opsForStream().add(stream, Map.of("n", Integer.toString(i))).block(T).getValue());
        }
        direct.opsForStream().createGroup(stream, ReadOffset.from("0"), "g").block(T);
        direct.opsForValue().set(lease, "7").block(T);

        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            FencedReadConnection fast = transaction ? FencedReadConnection.open(viaProxy.template()).orElseThrow() : null;
            try {
                PartitionReader reader = new PartitionReader(viaProxy.template(), "g", "c1", Map.of(stream, "s"), 0, 2,
                        Duration.ofMillis(2), Duration.ofMillis(50), lease, "7", fast, ns + ":{p0}:fenced-read");
                List<String> read = new ArrayList<>();
                StepVerifier.create(reader.receiveBatches(), 0)
                        .thenRequest(1)
                        .assertNext(batch -> batch.forEach(e -> read.add(e.id())))
                        .then(proxy::dropConnectionOnNextReply)
                        .thenRequest(1)
                        .assertNext(batch -> batch.forEach(e -> read.add(e.id())))
                        .thenRequest(1)
                        .assertNext(batch -> batch.forEach(e -> read.add(e.id())))
                        .then(reader::stop)
                        .thenCancel()
                        .verify(Duration.ofSeconds(30));
                assertThat(proxy.connectionsDropped()).as("a reply was lost with its connection").isEqualTo(1);
                assertThat(read).as("every entry once, in order").isEqualTo(ids);
            } finally {
                if (fast != null) {
                    fast.close();
                }
            }
        }
    }
}
