package io.quantumtrader.streams;

import io.micrometer.core.instrument.Meter;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-08) of a first version: qt.streams.state.lost was "registered at 0 when a task starts, so the first loss shows to increase()". But the
 * registration at 0 happens in process(), after reportLostState() has already counted the start's losses: on an
 * instance's first run of a task (a fresh pod after Redis lost data: the main case) the series is created by the loss
 * itself, first sample 1, which rate()/increase() do not see.
 */
class StateLostFirstCountTest {

    private final org.springframework.data.redis.core.ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    private final String ns = RedisTestSupport.freshNamespace();
    private final StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("only").withBatchSize(10)
            .withLeaseTtl(Duration.ofSeconds(2));

    @Test
    void theLostStateCounterExistsAtZeroBeforeTheFirstLossIsCounted() {
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            new EventPublisher(redis, new StreamKeys(ns), StreamCatalog.defaults(), "test")
                    .sendAll(RedisRestartEmptyTest.ticks(1, 10), 10).block();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 10);
        }
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.contains(":meta:")) {
                redis.delete(k).block();
            }
        }
        List<String> registeredBy = new CopyOnWriteArrayList<>();
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("fresh"), redis)) {
            runtime.metrics().registry().config().onMeterAdded((Meter m) -> {
                if (m.getId().getName().equals("qt.streams.state.lost") && "meta".equals(m.getId().getTag("what"))) {
                    boolean byLoss = java.util.Arrays.stream(Thread.currentThread().getStackTrace())
                            .anyMatch(f -> f.getMethodName().equals("reportLostState"));
                    registeredBy.add(byLoss ? "the loss itself (first sample 1)" : "the task's start (at 0)");
                }
            });
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.metrics().registry().find("qt.streams.state.lost")
                    .tag("what", "meta").counters().stream().mapToDouble(c -> c.count()).sum() == 1);
        }
        assertThat(registeredBy).as("who registered qt.streams.state.lost{what=meta} on the fresh instance")
                .containsExactly("the task's start (at 0)");
    }
}
