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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Bitstamp ticks (the first 20,000) through the trading topology on Redis give the same candles, regimes, advice,
 * evaluations, orders, fills, positions, exits, daily status and audit as the in-memory test driver, which processes
 * one tick at a time: the pipeline's results do not depend on batch boundaries or timing.
 */
class TradingTopologyOnRedisTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void redisAndTheTestDriverAgreeOnRealTicks() {
        List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.REGIMES,
                QuantumTraderTopology.SPIKES, QuantumTraderTopology.SIGNALS, QuantumTraderTopology.NO_SIGNALS,
                QuantumTraderTopology.EVALUATIONS, QuantumTraderTopology.REQUESTS, QuantumTraderTopology.FILLS,
                QuantumTraderTopology.OPENED, QuantumTraderTopology.CLOSED, QuantumTraderTopology.EXITS,
                QuantumTraderTopology.DAILY_STATUS, QuantumTraderTopology.AUDIT);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);
        assertThat(expected.get(QuantumTraderTopology.SIGNALS)).isNotEmpty();
        assertThat(expected.get(QuantumTraderTopology.CLOSED)).as("trades happened").isNotEmpty();

        String ns = "trader-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            TradingFixtures.publish(REDIS.template(), ns, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        for (String s : streams) {
            if (s.equals(QuantumTraderTopology.NO_SIGNALS)) {
                // two writers (the market-data advisory and the portfolio's kill-switch gate): their interleaving is
                // arrival order; each writer's own order is checked through the other streams
                assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, s)).as(s)
                        .containsExactlyInAnyOrderElementsOf(expected.get(s));
                continue;
            }
            assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, s)).as(s).isEqualTo(expected.get(s));
        }
    }
}
