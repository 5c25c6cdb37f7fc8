package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-07, scale-out): a task fenced off (another instance took its lease) keeps reporting, on the instance that lost it,
 * the entries its last run had read and not committed ({@code qt.streams.backpressure.read.ahead}), for as long as it
 * stays away; those entries are pending in Redis and belong to the new owner.
 */
class FencedTaskReadAheadTest {

    @Test
    void aFencedTaskReportsNoReadAheadOnTheInstanceThatLostIt() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10).withLeaseTtl(Duration.ofSeconds(60));
        Sinks.Empty<Void> paused = Sinks.empty();
        AtomicInteger commitAttempts = new AtomicInteger();
        StreamsRuntime zombie = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("zombie")
                .withBeforeCommit((task, n) -> {
                    commitAttempts.incrementAndGet();
                    return paused.asMono();
                }), template());
        try {
            zombie.start();
            StreamKeys keys = new StreamKeys(ns);
            String lease = keys.lease("pricing.0", 0);
            String owner = keys.leaseOwner("pricing.0", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).state() == TaskState.RUNNING);
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(2, 20), 10).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> commitAttempts.get() > 0);
            template().delete(lease, owner).block();
            new StreamAdmin(template()).acquireLease(lease, keys.fence("pricing.0", 0), owner, "thief", Duration.ofSeconds(60)).block();
            paused.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).state() == TaskState.REVOKED);
            double gauge = zombie.metrics().registry().find("qt.streams.backpressure.read.ahead")
                    .tag("task", zombie.tasks().get(0).id()).gauge().value();
            assertThat(gauge).as("read-ahead reported on the instance that lost task %s", zombie.tasks().get(0).id()).isZero();
        } finally {
            zombie.kill();
        }
    }
}
