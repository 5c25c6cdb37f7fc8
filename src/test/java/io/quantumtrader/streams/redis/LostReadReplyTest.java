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
 * A fenced read that Redis ran but whose reply was lost with its connection. Through {@code read-group.lua} (a Redis
 * Cluster, or the template) Lettuce reconnects and sends the read again (its at-least-once default), and the second
 * {@code XREADGROUP >} would return the entries after the lost ones, which stayed pending for the consumer, unseen
 * until the task restarted (then processed after newer records of their keys): the reader notices that its consumer
 * holds entries after the last one it saw and re-reads them from its pending list first. The transaction's connection
 * ({@link FencedReadConnection}, a standalone Redis) is never re-established by Lettuce: Redis ran the read whole or
 * not at all, and the reader re-reads its pending entries after the last one it received, on a connection opened
 * anew. Either way every entry comes once, in order. A proxy in front of a real Redis loses the reply
 * ({@link ReplyHoldingProxy}).
 */
class LostReadReplyTest {

    private static final Duration T = Duration.ofSeconds(10);

    /**
     * Streams of one partition with six entries each, whose group {@code g} reads from the start, and the task's lease
     * (token 7).
     *
     * @param streams partition key → logical name, in reading order
     * @param ids     partition key → the ids of its entries, in order
     */
    private record Input(ReactiveStringRedisTemplate direct, String ns, String lease, Map<String, String> streams,
                         Map<String, List<String>> ids) {

        static Input of(int streamCount) {
            ReactiveStringRedisTemplate direct = RedisTestSupport.template();
            String ns = RedisTestSupport.freshNamespace();
            Input in = new Input(direct, ns, ns + ":{p0}:lease", new java.util.LinkedHashMap<>(), new java.util.HashMap<>());
            for (int s = 0; s < streamCount; s++) {
                String key = ns + ":{p0}:s" + s;
                in.streams.put(key, "s" + s);
                List<String> ids = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    ids.add(direct.opsForStream().add(key, Map.of("n", Integer.toString(i))).block(T).getValue());
                }
                direct.opsForStream().createGroup(key, ReadOffset.from("0"), "g").block(T);
                in.ids.put(key, ids);
            }
            direct.opsForValue().set(in.lease, "7").block(T);
            return in;
        }

        /** @return a reader of consumer {@code c1} through {@code redis}, by transactions when {@code fast} is given */
        PartitionReader reader(ReactiveStringRedisTemplate redis, FencedReadConnection fast) {
            return new PartitionReader(redis, "g", "c1", streams, 0, 2 * streams.size(), Duration.ofMillis(2),
                    Duration.ofMillis(50), lease, "7", fast, ns + ":{p0}:fenced-read");
        }

        String onlyStream() {
            return streams.keySet().iterator().next();
        }
    }

    @Test
    void aTransactionReadWhoseReplyWasLostIsReadAgainFromThePendingList() throws Exception {
        readsEveryEntryOnceInOrderThoughAReplyIsLost(true, 1);
    }

    @Test
    void aScriptReadWhoseReplyWasLostIsReadAgainFromThePendingList() throws Exception {
        readsEveryEntryOnceInOrderThoughAReplyIsLost(false, 1);
    }

    /** Two inputs of one task (a join, a merge): each stream's entries once and in order after a lost reply. */
    @Test
    void aTransactionReadOfTwoStreamsWhoseReplyWasLostIsReadAgainFromBothPendingLists() throws Exception {
        readsEveryEntryOnceInOrderThoughAReplyIsLost(true, 2);
    }

    @Test
    void aScriptReadOfTwoStreamsWhoseReplyWasLostIsReadAgainFromBothPendingLists() throws Exception {
        readsEveryEntryOnceInOrderThoughAReplyIsLost(false, 2);
    }

    private static void readsEveryEntryOnceInOrderThoughAReplyIsLost(boolean transaction, int streams) throws Exception {
        Input in = Input.of(streams);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             FencedReadConnection fast = transaction ? FencedReadConnection.open(viaProxy.template()).orElseThrow() : null) {
            PartitionReader reader = in.reader(viaProxy.template(), fast);
            List<StreamEntry> read = new ArrayList<>();
            StepVerifier.create(reader.receiveBatches(), 0)
                    .thenRequest(1)
                    .assertNext(read::addAll)
                    .then(proxy::dropConnectionOnNextReply)
                    .thenRequest(Long.MAX_VALUE)
                    .thenConsumeWhile(batch -> {
                        read.addAll(batch); // an entry read twice, also after the stop, fails below
                        if (read.size() >= 6 * streams) {
                            reader.stop(); // the flux completes after the read in flight
                        }
                        return true;
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(30));
            assertThat(proxy.connectionsDropped()).as("a reply was lost with its connection").isEqualTo(1);
            in.ids.forEach((key, ids) -> assertThat(read.stream().filter(e -> e.key().equals(key)).map(StreamEntry::id).toList())
                    .as("every entry of %s once, in order", key).isEqualTo(ids));
        }
    }

    /**
     * A fenced-read connection that cannot be made again (Redis gone): the reader re-reads after a lost connection only
     * a few times in a row, then fails (its task restarts with backoff) instead of trying for ever.
     */
    @Test
    void aReaderWhoseConnectionCannotBeMadeAgainFailsAfterAFewTries() throws Exception {
        Input in = Input.of(1);
        ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
        try (RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             FencedReadConnection fast = FencedReadConnection.open(viaProxy.template()).orElseThrow()) {
            StepVerifier.create(in.reader(viaProxy.template(), fast).receiveBatches(), 0)
                    .thenRequest(1)
                    .expectNextCount(1)
                    .then(() -> {
                        try {
                            proxy.close(); // every connection through it, and no new one
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .thenRequest(1)
                    .expectError(ReadConnectionLostException.class)
                    .verify(Duration.ofSeconds(30));
        }
    }

    /**
     * A read cut in two by a lost connection after Redis answered its MULTI and first commands (QUEUED): Lettuce counted
     * those as answered and, reconnecting, sent only the rest (XREADGROUP, the undo, EXEC) without the MULTI, so the
     * XREADGROUP ran without the lease check: a reader whose lease had moved to a new owner took two entries from it
     * (the new owner's reads skipped them). The fenced-read connection is not re-established by Lettuce now: the read
     * is lost whole, the reader's next read (on a new connection) is fenced, and nothing more is delivered to the
     * former owner.
     */
    @Test
    void aTransactionReadCutInTwoByALostConnectionReadsNothingWithoutTheLease() throws Exception {
        Input in = Input.of(1);
        String stream = in.onlyStream();
        List<String> ids = in.ids.get(stream);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             FencedReadConnection fast = FencedReadConnection.open(viaProxy.template()).orElseThrow()) {
            StepVerifier.create(in.reader(viaProxy.template(), fast).receiveBatches(), 0)
                    .thenRequest(1)
                    .assertNext(batch -> assertThat(batch).extracting(StreamEntry::id).isEqualTo(ids.subList(0, 2)))
                    .then(() -> {
                        in.direct.opsForValue().set(in.lease, "8").block(T); // a new owner took the lease: a zombie now
                        proxy.cutNextRequestBefore("XREADGROUP");
                    })
                    .thenRequest(1)
                    .expectError()
                    .verify(Duration.ofSeconds(30));
            assertThat(proxy.connectionsDropped()).as("a read cut in two").isEqualTo(1);
            Thread.sleep(300); // a command Lettuce would send again has had time to run
        }
        assertThat(in.direct.opsForStream().pending(stream, "g").block(T).getTotalPendingMessages())
                .as("pending with the former owner: only what it read under its lease").isEqualTo(2);
        assertThat(in.direct.opsForStream().groups(stream).blockFirst(T).lastDeliveredId())
                .as("the new owner reads on from there").isEqualTo(ids.get(1));
    }
}
