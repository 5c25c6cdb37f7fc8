package io.quantumtrader.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first fenced read of a task finds entries trimmed before the group read them (deleted-unread.lua adds them to the
 * group's totals in Redis and writes the dead letter), but its reply comes later than PartitionReader.READ_TIMEOUT: the
 * task restarts. The new run starts counting from what the readers noted as counted (du_note_counted, returned by the
 * claim), so it counts the loss. Found in review (2026-12-07): it started from the group's totals, taking the loss as
 * counted, and it was never counted in qt.streams.input.deleted.unread (nor the dead-lettered counter) — the gap
 * claim-pending.lua had closed for its own dead letters (ClaimReplyTimeoutTest).
 */
class DeletedUnreadReadTimeoutTest {

    @Test
    void aTrimFoundByAReadWhoseReplyTimedOutIsCountedByTheNextRun() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        assertThat(template().opsForStream().trim(key, 7).block()).isEqualTo(3);   // seq 1..3, never read

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            // the first fenced-read transaction (read-fence-begin.lua's text): Redis runs it, its reply comes too late
            proxy.delayRepliesAfter("First step of a fenced read", Duration.ofSeconds(7));
            try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                    StreamsConfig.defaults().withNamespace(ns), slow.template(), meters)) {
                runtime.start();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
                assertThat(runtime.counters().restarts()).as("the read timed out: the task restarted").isPositive();
                assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).as("the dead letter the first read wrote")
                        .singleElement().satisfies(f -> assertThat(f).containsEntry("error.deleted_count", "3"));
                assertThat(meters.get("qt.streams.input.deleted.unread").tag("stream", "ticks").counter().count())
                        .as("entries deleted unread, counted").isEqualTo(3.0);
                assertThat(runtime.counters().deadLettered()).as("the dead letter, counted").isEqualTo(1);
            }
            proxy.close();
        }
    }
}
