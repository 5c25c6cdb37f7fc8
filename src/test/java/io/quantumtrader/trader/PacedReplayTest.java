package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay speed does not change the results: real ticks published in random chunks with random pauses while the
 * pipeline runs (batches of every size, tasks idle between chunks) give what the test driver gives tick by tick, on
 * every stream of the trading and reporting layers.
 */
class PacedReplayTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void ticksPublishedInRandomChunksWithPausesGiveTheSameResultsAsTickByTick() throws Exception {
        List<PriceTick> ticks = TradingFixtures.realTicks(8_000);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.SIGNALS,
                QuantumTraderTopology.EVALUATIONS, QuantumTraderTopology.FILLS, QuantumTraderTopology.CLOSED,
                QuantumTraderTopology.UPDATES, QuantumTraderTopology.DAILY_STATUS, QuantumTraderTopology.DERISK,
                QuantumTraderTopology.AUDIT);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);
        assertThat(expected.get(QuantumTraderTopology.CLOSED)).as("trades happened").isNotEmpty();

        long seed = System.nanoTime();
        Random random = new Random(seed);
        String ns = "paced-" + seed;
        StreamCatalog catalog = TradingFixtures.catalog();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog).withBatchSize(1 + random.nextInt(300)), REDIS.template())) {
            runtime.start();
            for (int i = 0; i < ticks.size(); ) {
                int n = Math.min(ticks.size() - i, 1 + random.nextInt(400));
                TradingFixtures.publishChunk(REDIS.template(), ns, catalog, ticks.subList(i, i + n));
                i += n;
                Thread.sleep(random.nextInt(40));
            }
            TradingFixtures.endTicks(REDIS.template(), ns, catalog);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        for (String s : streams) {
            assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, s)).as("%s (seed %d)", s, seed).isEqualTo(expected.get(s));
        }
    }
}
