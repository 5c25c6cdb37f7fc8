package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task's dedupe log lost (a partial loss of Redis' data, a {@code DEL}) while its meta hash says its commits recorded
 * ids in it. Found in review (2026-12-07, Redis losing data): the next run loaded no ids without a word, and a
 * producer's retry of an event processed seconds before was processed again. The ids cannot be had back; the loss is
 * now said (ERROR) and counted ({@code qt.streams.state.lost{what=dedupe_log}}).
 */
class LostTaskStateTest {

    /**
     * The meta hash lost (stream times, watermarks, commit sequence) while the dedupe log its commits wrote is there:
     * found in review (2026-12-07), windows closed before could emit a second final result without a word. Counted
     * ({@code qt.streams.state.lost{what=meta}}) with an ERROR.
     */
    @Test
    void aLostMetaHashIsCountedWhenTheTaskStarts() {
        var redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = new EventPublisher(redis, new StreamKeys(ns), StreamCatalog.defaults(), "test");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("only").withBatchSize(10)
                .withLeaseTtl(Duration.ofSeconds(2));
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publisher.sendAll(RedisRestartEmptyTest.ticks(1, 10), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 10);
        }
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.contains(":meta:")) {
                redis.delete(k).block();   // the meta hash is lost; group, dedupe log and outputs are not
            }
        }
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.state.lost")
                    .tag("what", "meta").counters().stream().mapToDouble(c -> c.count()).sum() == 1);
        }
    }

    @Test
    void aLostDedupeLogIsCountedWhenTheTaskStarts() {
        var redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = new EventPublisher(redis, new StreamKeys(ns), StreamCatalog.defaults(), "test");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("only").withBatchSize(10)
                .withLeaseTtl(Duration.ofSeconds(2));
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publisher.sendAll(RedisRestartEmptyTest.ticks(1, 10), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 10);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.records.in")
                    .counters().size() > 0 || runtime.counters().commits() >= 0);
            Thread.sleep(1500);
            assertThat(runtime.metrics().registry().find("qt.streams.state.lost").counters()).as("nothing lost").isEmpty();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.contains("dedupe")) {
                redis.delete(k).block();   // the dedupe log is lost; meta hash, group and outputs are not
            }
        }
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.state.lost")
                    .tag("what", "dedupe_log").counters().stream().mapToDouble(c -> c.count()).sum() == 1);
        }
    }
}
