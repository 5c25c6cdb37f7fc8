package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.LuaScript;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim at a task's start dead-letters the pending entries deleted before processing (claim-pending.lua). When its
 * reply times out ({@link StreamAdmin#ATTEMPT_TIMEOUT}), Redis made the claim but the task never counted its dead
 * letters, and restarts under a new token, whose claim finds nothing left to dead-letter: they were in
 * {@code ticks.dlq} but counted nowhere (a known gap, docs/OPERATIONS.md, review of 2026-12-06). The next claim now
 * carries the dead letters of a claim its task did not confirm counted. A proxy in front of the test Redis holds back
 * the replies on the runtime's connection from the claim on ({@link ReplyHoldingProxy#delayRepliesAfter}).
 */
class ClaimReplyTimeoutTest {

    @Test
    void theDeadLettersOfAClaimWhoseReplyTimedOutAreCountedByTheNextRun() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        var read = template().opsForStream().read(Consumer.from("pricing.0", "dead"), StreamReadOptions.empty().count(3),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().delete(key, read.get(1).getId()).block();   // trimmed while pending
        var claimScript = LuaScript.springScript("claim-pending.lua", List.class);
        String claimSha = claimScript.getSha1();
        // in Redis' script cache, so the claim is an EVALSHA that runs (a NOSCRIPT reply held back runs nothing)
        assertThat(template().execute(c -> c.scriptingCommands().scriptLoad(java.nio.ByteBuffer.wrap(
                claimScript.getScriptAsString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))).blockFirst())
                .isEqualTo(claimSha);

        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            // the task's first claim is the first request naming the script (the runtime loads scripts by SCRIPT LOAD)
            proxy.delayRepliesAfter(claimSha, StreamAdmin.ATTEMPT_TIMEOUT.plusSeconds(2));
            try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                    StreamsConfig.defaults().withNamespace(ns), slow.template())) {
                runtime.start();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(40))).isTrue();
                assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                        .containsExactly(1L, 3L, 4L, 6L, 7L, 8L, 9L);
                assertThat(runtime.counters().restarts()).as("the claim timed out: the task restarted").isPositive();
                assertThat(runtime.counters().deadLettered()).as("the first claim's dead letter, counted by the next run")
                        .isEqualTo(1);
                assertThat(runtime.metrics().registry().find("qt.streams.ingest.rejected").tag("stream", "ticks")
                        .tag("reason", "deleted_before_processing").counter().count()).isEqualTo(1.0);
            }
            proxy.close();
        }
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).as("one dead letter, written by the first claim")
                .singleElement().satisfies(f -> assertThat(f)
                        .containsEntry("error.source_id", read.get(1).getId().getValue()));
    }
}
