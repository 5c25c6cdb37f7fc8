package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the outbox (Redis Cluster; forced here on one server, as OutboxOnOneServerTest does), slow forwards slow the
 * reads: once one forward runs and another is asked for, a commit waits for its forward before it counts as done, so
 * the commits in flight hold the reads back. Found in review (2026-12-07): a commit never waited for its forward; with
 * each forward step taking 2 s (ForwardHook) the tasks read all 8,000 ticks within 12 s and 4,353 outputs waited in the
 * outboxes (Redis memory of the source slot), growing with the whole backlog.
 */
@Timeout(120)
class SlowForwardBackpressureTest {

    /** Outbox entries a task may commit behind its running forward (the default, 2,000, is more than this test's backlog). */
    static final long LAG_LIMIT = 60;

    @Test
    void slowForwardsSlowTheReads() throws Exception {
        RedisConnection redis = RedisTestSupport.redis();
        String ns = RedisTestSupport.freshNamespace();
        List<EventPublisher.Event> events = new ArrayList<>();
        int perSymbol = 1_000;
        for (int seq = 1; seq <= perSymbol; seq++) {
            for (int s = 0; s < RedisClusterTest.SYMBOLS; s++) {
                String symbol = "SYM" + s;
                events.add(new EventPublisher.Event("ticks", symbol, new Tick(symbol, 100, seq), 1_700_000_000_000L + seq, symbol + "/" + seq));
            }
        }
        new EventPublisher(redis.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test").sendAll(Flux.fromIterable(events), 256).block();
        CommitOptions slowTarget = CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX)
                .withForwardHook((outbox, done, slots) -> Mono.delay(Duration.ofSeconds(2)).then())
                .withForwardLagLimit(LAG_LIMIT);
        try (StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(), RedisClusterTest.config(ns, "one"), redis.template())
                .withCommitOptions(slowTarget)) {
            runtime.start();
            Thread.sleep(12_000);
            long read = 0;
            long outbox = 0;
            for (StreamTask t : runtime.tasks()) {
                read += t.entriesRead();
            }
            for (int p = 0; p < RedisClusterTest.PARTITIONS; p++) {
                Long len = redis.template().opsForStream().size(new StreamKeys(ns).outbox("xslot.0", p)).block();
                outbox += len == null ? 0 : len;
            }
            // per task: the running forward's entries and those waiting behind it, each at most the limit plus the
            // commits in flight (2 batches of 20) and the commit that crossed it; 6 tasks
            assertThat(outbox).as("outputs waiting in the outboxes after 12 s of slow forwards (ticks read %d of %d)", read, events.size())
                    .isLessThanOrEqualTo(6L * 2 * (LAG_LIMIT + 3 * 20));
        }
    }
}
