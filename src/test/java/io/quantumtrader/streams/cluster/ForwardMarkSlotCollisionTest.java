package io.quantumtrader.streams.cluster;

import io.lettuce.core.cluster.SlotHash;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.CommitBatch;
import io.quantumtrader.streams.redis.CommitDurability;
import io.quantumtrader.streams.redis.ForwardHook;
import io.quantumtrader.streams.redis.OutboxForwarder;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forward's repeat check ({@code forward.lua}'s mark) lives in the {@code forwarded} hash of its targets' hash tag.
 * Found in review (2026-12-07): the forwarder grouped a page by target <em>slot</em> and kept the mark in the hash of the
 * first target of each group; two partitions whose hash tags {@code {ns.a}}, {@code {ns.b}} fall in one slot then had
 * their mark in {@code {ns.a}:forwarded} or {@code {ns.b}:forwarded} depending on which came first in the page, and two
 * forwarders of one outbox at once (the previous owner's and the new owner's, which the class comment declares safe)
 * appended an entry twice.
 *
 * <p>Sequence: outbox e1 (to partition a), X (the former owner's forward) reads [e1] and is slow; e2 (to partition b)
 * is committed; Y (the new owner's forward) reads [e1, e2], appends both and fails before the outbox cleanup (a lost
 * connection on XDEL); X goes on: e1 is a repeat, dropped, and X deletes e1; Z (the new owner's next forward) reads
 * [e2]: e2's mark must be found, and e2 not appended again.
 */
class ForwardMarkSlotCollisionTest {

    static TestCluster cluster;
    static RedisConnection redis;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start(3, 0);
        redis = cluster.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * A namespace and two partitions of it (of the first 16) whose hash tags share a slot, and a producer partition
     * elsewhere. Tags of one length differing in one or two adjacent characters never share a slot (CRC16 detects
     * every burst of up to 16 bits), so the pair is one one-digit and one two-digit partition (e.g. fc343: 6 and 10);
     * with 32 partitions about 0.2 % of namespaces have such a pair, with 128 about 2 %.
     */
    record Collision(String ns, int a, int b, int producer) {
    }

    static Collision findCollision() {
        for (int n = 0; n < 100_000; n++) {
            String ns = "fc" + n;
            StreamKeys keys = new StreamKeys(ns);
            for (int a = 0; a < 16; a++) {
                for (int b = a + 1; b < 16; b++) {
                    if (SlotHash.getSlot(keys.stream("out", a)) == SlotHash.getSlot(keys.stream("out", b))) {
                        for (int p = 0; p < 16; p++) {
                            if (SlotHash.getSlot(keys.stream("out", p)) != SlotHash.getSlot(keys.stream("out", a))) {
                                return new Collision(ns, a, b, p);
                            }
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no namespace with two partitions in one slot");
    }

    private static String add(ReactiveStringRedisTemplate t, String outbox, String target, String value) {
        return t.opsForStream().add(MapRecord.create(outbox, Map.of(CommitBatch.OUTBOX_TARGET, target,
                CommitBatch.OUTBOX_MAXLEN, "0", "v", value))).block().getValue();
    }

    @Test
    void twoForwardersOfOneOutboxAppendAnEntryTwiceWhenTwoPartitionsShareASlot() throws Exception {
        Collision c = findCollision();
        StreamKeys keys = new StreamKeys(c.ns());
        ReactiveStringRedisTemplate t = redis.template();
        String outbox = keys.outbox("app.0", c.producer());
        String toA = keys.stream("out", c.a());
        String toB = keys.stream("out", c.b());
        assertThat(SlotHash.getSlot(toA)).isEqualTo(SlotHash.getSlot(toB));

        add(t, outbox, toA, "e1");

        // X: the former owner's forward, slow between reading its page and appending it
        Sinks.Empty<Void> xGo = Sinks.empty();
        CompletableFuture<Void> xRead = new CompletableFuture<>();
        ForwardHook slowBeforeAppend = (o, done, slots) -> done == 0
                ? Mono.fromRunnable(() -> xRead.complete(null)).then(xGo.asMono()) : Mono.empty();
        OutboxForwarder x = new OutboxForwarder(t, slowBeforeAppend, null, new CommitDurability(null, 0, Duration.ZERO));
        CompletableFuture<OutboxForwarder.Forwarded> xDone = x.forward(outbox).toFuture();
        xRead.get(10, java.util.concurrent.TimeUnit.SECONDS);

        add(t, outbox, toB, "e2");

        // Y: the new owner's forward, which fails before the outbox cleanup (e.g. its connection lost on XDEL)
        ForwardHook failBeforeCleanup = (o, done, slots) -> done == slots
                ? Mono.error(new IllegalStateException("connection lost before the outbox cleanup")) : Mono.empty();
        OutboxForwarder y = new OutboxForwarder(t, failBeforeCleanup, null, new CommitDurability(null, 0, Duration.ZERO));
        try {
            y.forward(outbox).block(Duration.ofSeconds(10));
        } catch (IllegalStateException expected) {
            // the run fails and restarts
        }
        assertThat(t.opsForStream().size(toB).block()).as("e2 appended once by Y").isEqualTo(1L);

        xGo.tryEmitEmpty();
        OutboxForwarder.Forwarded xf = xDone.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(xf.appended()).as("X's e1 was a repeat").isZero();

        // Z: the new owner's next run forwards what is left
        OutboxForwarder z = new OutboxForwarder(t);
        OutboxForwarder.Forwarded zf = z.forward(outbox).block(Duration.ofSeconds(10));
        assertThat(t.opsForStream().size(outbox).block()).as("outbox forwarded and cleaned").isZero();
        assertThat(t.opsForStream().size(toA).block()).as("e1 in partition %d", c.a()).isEqualTo(1L);
        assertThat(t.opsForStream().size(toB).block())
                .as("e2 in partition %d once (%s: partitions %d and %d share slot %d; Z appended %d, repeats %d)",
                        c.b(), c.ns(), c.a(), c.b(), SlotHash.getSlot(toA), zf.appended(), zf.repeats())
                .isEqualTo(1L);
    }
}
