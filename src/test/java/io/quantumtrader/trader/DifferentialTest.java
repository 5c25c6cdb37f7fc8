package io.quantumtrader.trader;

import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test: the same real ticks through a plain sequential loop of the domain functions (no engine) and
 * through the Redis pipeline give the same trades and the same daily P&amp;L.
 */
class DifferentialTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void thePipelineOnRedisMakesTheSameTradesAsASequentialLoop() {
        List<PriceTick> ticks = TradingFixtures.realTicks(Integer.MAX_VALUE);
        RiskRules rules = RiskRules.defaults().withKillSwitchResetsDaily(true);

        String ns = "diff-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        List<String> tickIds;
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(RegimeRules.defaults(), rules),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            TradingFixtures.publish(REDIS.template(), ns, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofMinutes(3))).isTrue();
            tickIds = REDIS.template().opsForStream().range(new StreamKeys(ns).stream(QuantumTraderTopology.TICKS, 0), Range.unbounded())
                    .map(r -> r.getId().getValue()).collectList().block();
        }

        SequentialReference reference = new SequentialReference(rules);
        for (int i = 0; i < ticks.size(); i++) {
            reference.onTick(ticks.get(i), tickIds.get(i));
        }

        JsonSerde<PositionClosed> serde = new JsonSerde<>(PositionClosed.class);
        List<PositionClosed> pipeline = REDIS.template().opsForStream()
                .range(new StreamKeys(ns).stream(QuantumTraderTopology.CLOSED, 0), Range.unbounded())
                .map(r -> {
                    return serde.deserialize(Envelope.fromFields(StreamEntry.fieldsOf(r)).data());
                })
                .collectList().block();

        assertThat(reference.closed).as("the reference traded").hasSizeGreaterThan(5);
        assertThat(pipeline).isEqualTo(reference.closed);
        assertThat(SequentialReference.dailyPnl(pipeline)).isEqualTo(reference.dailyPnl());
    }
}
