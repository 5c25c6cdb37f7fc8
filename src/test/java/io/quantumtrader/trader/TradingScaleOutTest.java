package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same ticks on one instance with one partition per stream and on three instances of the trading topology (each
 * with its own instance id, membership and leases) with 4 partitions for every stream keyed by symbol or account
 * (market data, the portfolio's repartition inputs and outputs, reporting) give identical outputs, compared by
 * originating tick (its event id, carried as the trace id)
 * on every stream the topology writes: the
 * account is never split between instances (its sub-topology has one task, whoever owns it), and the reporting layer
 * runs wherever its task lands.
 */
class TradingScaleOutTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void oneAndThreeInstancesAndOneAndFourPartitionsWriteTheSameEventsForEachTick() {
        List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
        StreamCatalog catalog = TradingFixtures.catalog();

        String one = "one-" + System.nanoTime();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(one).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            TradingFixtures.publishWithIds(REDIS.template(), one, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(90))).isTrue();
        }

        // three instances, and every stream keyed by symbol or account on 4 partitions: the market data layer has 4
        // tasks per stage (3 of them without a symbol), the portfolio 4 tasks (one holds the account)
        StreamCatalog four = TradingFixtures.catalog(4);
        assertThat(four.spec(QuantumTraderTopology.DAILY_STATUS).partitions()).isEqualTo(4);
        assertThat(four.spec(QuantumTraderTopology.TICKS).partitions()).isEqualTo(4);
        String three = "three-" + System.nanoTime();
        List<StreamsRuntime> instances = new ArrayList<>();
        try {
            for (String id : List.of("i-1", "i-2", "i-3")) {
                StreamsRuntime r = new StreamsRuntime(QuantumTraderTopology.build(), StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(three)
                        .withCatalog(four).withInstanceId(id).withBatchSize(100), REDIS.template());
                r.start();
                instances.add(r);
            }
            TradingFixtures.publishWithIds(REDIS.template(), three, four, ticks);
            for (StreamsRuntime r : instances) {
                assertThat(r.awaitDrained(Duration.ofSeconds(90))).isTrue();
            }
        } finally {
            instances.forEach(StreamsRuntime::close);
        }

        Map<String, String> expected = TradingFixtures.outputsByOrigin(REDIS.template(), one, catalog);
        assertThat(expected.keySet()).anyMatch(k -> k.startsWith(QuantumTraderTopology.CLOSED + "/"))
                .anyMatch(k -> k.startsWith(QuantumTraderTopology.DAILY_STATUS + "/"));
        Map<String, String> actual = TradingFixtures.outputsByOrigin(REDIS.template(), three, four);
        List<String> onlyOne = expected.keySet().stream().filter(k -> !actual.containsKey(k)).limit(5).toList();
        List<String> onlyThree = actual.keySet().stream().filter(k -> !expected.containsKey(k)).limit(5).toList();
        List<String> differ = expected.keySet().stream().filter(k -> actual.containsKey(k) && !actual.get(k).equals(expected.get(k)))
                .limit(5).map(k -> k + ": " + expected.get(k) + " != " + actual.get(k)).toList();
        assertThat(List.of(onlyOne, onlyThree, differ)).as("%d events on one instance, %d on three: only on one, only on three, different",
                expected.size(), actual.size()).containsOnly(List.of());
    }
}
