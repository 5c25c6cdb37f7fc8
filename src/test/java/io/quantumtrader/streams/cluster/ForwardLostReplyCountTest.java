package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-07): an outbox forward (forward.lua) that Redis ran and whose reply was lost with its
 * connection is sent again by Lettuce; the second run finds every entry forwarded (its own first run) and returns 0.
 * The entries were forwarded once, but qt.streams.outbox.forwarded never counts them and outbox.repeats counts them as
 * repeats, although nothing crashed and no other forwarder ran (the commit script's equivalent was fixed:
 * CommitSentTwiceTest).
 */
class ForwardLostReplyCountTest {

    @AfterEach
    void reset() {
        RedisClusterTest.redis = null;
    }

    @Test
    void aForwardWhoseReplyWasLostIsCountedOnce() throws Exception {
        run(true);
    }

    /** The control: without a lost reply the counts are exact (passes). */
    @Test
    void withoutALostReplyTheCountsAreExact() throws Exception {
        run(false);
    }

    private void run(boolean loseAReply) throws Exception {
        RedisConnection direct = RedisTestSupport.redis();
        RedisClusterTest.redis = direct;
        String ns = RedisTestSupport.freshNamespace();
        new EventPublisher(direct.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test")
                .sendAll(RedisClusterTest.ticks(), 64).block();
        // bucket outputs bound for another partition's tag go through the outbox (forced on one server)
        long crossPartition = 0;
        for (int seq = 1; seq <= RedisClusterTest.PER_SYMBOL; seq++) {
            for (int s = 0; s < RedisClusterTest.SYMBOLS; s++) {
                if (Partitioner.partition("B" + seq % RedisClusterTest.BUCKETS, RedisClusterTest.PARTITIONS)
                        != Partitioner.partition("SYM" + s, RedisClusterTest.PARTITIONS)) {
                    crossPartition++;
                }
            }
        }
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(direct.port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(),
                     RedisClusterTest.config(ns, "one").withBeforeCommit((task, n) -> Mono.fromRunnable(() -> java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L))),
                     viaProxy.template())
                     .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX))) {
            runtime.start();
            // once forward.lua is in the script cache (its first EVALSHA fell back to EVAL), lose the reply of the next
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().outboxForwarded() > 0);
            if (loseAReply) {
                proxy.dropConnectionAfterRequestWith("}:forwarded");
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connectionsDropped() > 0);
            }
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
            RedisClusterTest.assertExactlyOnce(ns);
            assertThat(runtime.counters().restarts()).as("task restarts").isZero();
            assertThat(runtime.counters().outboxForwarded()).as("outputs forwarded through the outbox, each counted once")
                    .isEqualTo(crossPartition);
            assertThat(runtime.counters().outboxRepeats()).as("outbox entries counted as repeats (nothing crashed)").isZero();
        }
    }
}
