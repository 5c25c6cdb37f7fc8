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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries trimmed before the group read them are found by the fenced read (deleted-unread.lib.lua), which writes the
 * dead letter, moves the group over the gap and adds the loss to the group's totals in Redis; the reader counts what
 * the totals gained (qt.streams.input.deleted.unread, qt.streams.deadlettered, the task's warning). When that read's
 * reply is lost with its connection, the re-sent script (template) or the re-read of the pending list (transaction)
 * finds nothing new, but its totals still hold the loss: counted once. Found in review (2026-12-05): the reads returned
 * what each found, and the loss was never counted (both cases failed with 0 instead of 2).
 */
class DeletedUnreadLostReplyTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void scriptRead() throws Exception {
        countsTheTrimThoughTheReplyIsLost(false);
    }

    @Test
    void transactionRead() throws Exception {
        countsTheTrimThoughTheReplyIsLost(true);
    }

    private static void countsTheTrimThoughTheReplyIsLost(boolean transaction) throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String key = ns + ":{p0}:s0";
        String lease = ns + ":{p0}:lease";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            ids.add(direct.opsForStream().add(key, Map.of("n", Integer.toString(i))).block(T).getValue());
        }
        direct.opsForStream().createGroup(key, ReadOffset.from("0"), "g").block(T);
        direct.opsForStream().trim(key, 4).block(T); // two entries deleted before the group read them
        direct.opsForValue().set(lease, "7").block(T);
        // the script cached, so that the reply lost is the read's, not a NOSCRIPT's
        String source = io.quantumtrader.streams.redis.LuaScript.springScript("read-group.lua", List.class).getScriptAsString();
        direct.getConnectionFactory().getReactiveConnection().scriptingCommands()
                .scriptLoad(java.nio.ByteBuffer.wrap(source.getBytes(java.nio.charset.StandardCharsets.UTF_8))).block(T);
        AtomicLong reported = new AtomicLong();
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             FencedReadConnection fast = transaction ? FencedReadConnection.open(viaProxy.template()).orElseThrow() : null) {
            viaProxy.template().opsForValue().get(lease).block(T); // the template's connection is up
            PartitionReader reader = new PartitionReader(viaProxy.template(), "g", "c1", Map.of(key, "s0"), 0, 10,
                    Duration.ofMillis(2), Duration.ofMillis(50), lease, "7", fast, ns + ":{p0}:fenced-read")
                    .reportDeletedUnread("t_0", Map.of(), (stream, n) -> reported.addAndGet(n));
            List<StreamEntry> read = new ArrayList<>();
            proxy.dropConnectionOnNextReply(); // the first read: it finds the trim
            StepVerifier.create(reader.receiveBatches(), 0)
                    .thenRequest(Long.MAX_VALUE)
                    .thenConsumeWhile(batch -> {
                        read.addAll(batch); // an entry read twice, also after the stop, fails below
                        if (read.size() >= 4) {
                            reader.stop(); // the flux completes after the read in flight
                        }
                        return true;
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(30));
            assertThat(proxy.connectionsDropped()).isEqualTo(1);
            assertThat(read).extracting(StreamEntry::id).isEqualTo(ids.subList(2, 6));
        }
        assertThat(direct.opsForStream().size(StreamKeys.deadLetterOf(key)).block(T)).as("dead letter written once").isEqualTo(1L);
        assertThat(reported.get()).as("entries deleted unread reported to the task (meters)").isEqualTo(2L);
    }
}
