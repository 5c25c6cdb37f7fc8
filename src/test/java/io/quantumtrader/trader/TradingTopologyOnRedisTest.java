package io.quantumtrader.trader;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Bitstamp ticks (the first 20,000) through the trading topology on Redis give the same candles, regimes, advice,
 * evaluations, orders, fills, positions, exits, daily status and audit as the in-memory test driver, which processes
 * one tick at a time: the pipeline's results do not depend on batch boundaries or timing. Every stream keyed by symbol
 * or account has 5 partitions, where the symbol (BTC-USD: 1) and the account ({@code paper}: 0) fall on different
 * ones, so the portfolio gathers the market layer's records from another partition (on a Redis Cluster,
 * {@link TradingTopologyOnClusterTest}, from another slot).
 */
class TradingTopologyOnRedisTest {

    private static final int PARTITIONS = 5;

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

        assertThat(io.quantumtrader.streams.redis.Partitioner.partition("BTC-USD", PARTITIONS))
                .as("the symbol's partition is not the account's").isNotEqualTo(io.quantumtrader.streams.redis.Partitioner
                        .partition(io.quantumtrader.trader.risk.Account.PAPER, PARTITIONS));
        String ns = "trader-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog(PARTITIONS);
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog), redis)) {
            runtime.start();
            TradingFixtures.publish(redis, ns, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(90))).isTrue();
        }
        for (String s : streams) {
            List<List<String>> partitions = outputs(redis, ns, s, catalog);
            List<String> all = partitions.stream().flatMap(List::stream).toList();
            if (s.equals(QuantumTraderTopology.NO_SIGNALS)) {
                // two writers (the market-data advisory and the portfolio's kill-switch gate): their interleaving is
                // arrival order; each writer's own order is checked through the other streams
                assertThat(all).as(s).containsExactlyInAnyOrderElementsOf(expected.get(s));
                continue;
            }
            if (partitions.size() > 1) {
                // the audit of both layers, by symbol and by account: one writer per partition, which keeps the
                // driver's order; the two partitions' interleaving is arrival order
                assertThat(all).as(s).containsExactlyInAnyOrderElementsOf(expected.get(s));
                for (List<String> partition : partitions) {
                    assertThat(isSubsequence(partition, expected.get(s))).as("%s: a partition in the driver's order", s).isTrue();
                }
                continue;
            }
            assertThat(all).as(s).isEqualTo(expected.get(s));
        }
    }

    /** @return true when {@code part} appears in {@code whole} in the same order (not necessarily adjacent) */
    private static boolean isSubsequence(List<String> part, List<String> whole) {
        int i = 0;
        for (String w : whole) {
            if (i < part.size() && part.get(i).equals(w)) {
                i++;
            }
        }
        return i == part.size();
    }

    /** @return what the topology wrote to {@code stream}, rendered like {@link TradingFixtures#driverOutputs}: per partition with entries */
    private static List<List<String>> outputs(ReactiveStringRedisTemplate redis, String ns, String stream, StreamCatalog catalog) {
        List<List<String>> filled = new java.util.ArrayList<>();
        for (int p = 0; p < catalog.spec(stream).partitions(); p++) {
            List<String> out = TradingFixtures.redisOutputs(redis, ns, stream, p);
            if (!out.isEmpty()) {
                filled.add(out);
            }
        }
        return filled;
    }
}
