package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay killed at a random commit (after processing a batch, before committing it) and resumed by a new instance
 * produces exactly what an uninterrupted run produces: same trades, same daily P&amp;L, same audit log.
 */
class TradingCrashRecoveryTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void aReplayKilledAtARandomPointAndResumedGivesTheSameResults() {
        List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.SIGNALS,
                QuantumTraderTopology.EVALUATIONS, QuantumTraderTopology.FILLS, QuantumTraderTopology.CLOSED,
                QuantumTraderTopology.DAILY_STATUS, QuantumTraderTopology.AUDIT);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);
        assertThat(expected.get(QuantumTraderTopology.CLOSED)).isNotEmpty();

        String ns = "crash-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        StreamsConfig config = StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog).withBatchSize(200)
                .withLeaseTtl(Duration.ofSeconds(2)); // the killed victim's leases expire quickly
        TradingFixtures.publish(REDIS.template(), ns, catalog, ticks);
        int crashAt = 5 + new Random().nextInt(80);   // of ~100 commits
        AtomicInteger commits = new AtomicInteger();
        AtomicReference<StreamsRuntime> victim = new AtomicReference<>();
        StreamsRuntime first = new StreamsRuntime(QuantumTraderTopology.build(), config.withInstanceId("victim")
                .withBeforeCommit((task, n) -> {
                    if (commits.incrementAndGet() == crashAt) {
                        victim.get().kill();
                        return Mono.never();
                    }
                    return Mono.empty();
                }), REDIS.template());
        victim.set(first);
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> commits.get() >= crashAt);

        try (StreamsRuntime second = new StreamsRuntime(QuantumTraderTopology.build(), config.withInstanceId("survivor"), REDIS.template())) {
            second.start();
            assertThat(second.awaitDrained(Duration.ofSeconds(90))).isTrue();
        }
        for (String s : streams) {
            assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, s)).as("%s after a crash at commit %d", s, crashAt)
                    .isEqualTo(expected.get(s));
        }
    }
}
