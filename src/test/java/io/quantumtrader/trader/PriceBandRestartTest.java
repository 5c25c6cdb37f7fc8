package io.quantumtrader.trader;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RefusedTick;
import io.quantumtrader.trader.market.PriceBand;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A print held by the price band when its task stops (the runtime closed, its state committed to Redis) is still
 * refused unconfirmed by the restarted task's stream-time punctuation once another symbol of its partition moves the
 * stream time past the hold. {@link PriceBandProcessor} skips its punctuations while it knows of no held print, and
 * a restarted processor learns of the held prints from the store it is given ({@link PriceBandProcessor#init}).
 */
class PriceBandRestartTest {

    @Test
    @Timeout(120)
    void aPrintHeldAcrossARestartIsRefusedUnconfirmedByStreamTime() {
        long t0 = TradingFixtures.realTicks(1).get(0).timestamp();
        PriceTick reference = new PriceTick("BTC-USD", 1_000, 1, t0);
        PriceTick suspect = new PriceTick("BTC-USD", 10, 1, t0 + 1_000);
        List<PriceTick> before = List.of(reference, suspect, new PriceTick("ETH-USD", 40, 1, t0 + 2_000));
        List<PriceTick> after = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {   // the last at t0 + 5 min 2 s: past the hold's end, t0 + 5 min 1 s
            after.add(new PriceTick("ETH-USD", 40 + i * 0.01, 1, t0 + 2_000 + i * 60_000L));
        }
        String ns = "band-restart-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        Topology topology = QuantumTraderTopology.build(RegimeRules.defaults(), RiskRules.defaults());
        StreamsConfig config = StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns)
                .withCatalog(catalog);
        String bandStore = new StreamKeys(ns).store(topology.applicationId(), "price-band", 0);
        JsonSerde<PriceBand.State> states = new JsonSerde<>(PriceBand.State.class);

        try (StreamsRuntime first = new StreamsRuntime(topology, config, RedisTestSupport.template())) {
            first.start();
            TradingFixtures.publishChunk(RedisTestSupport.template(), ns, catalog, before);
            Awaitility.await("the suspect print held and committed").atMost(Duration.ofSeconds(30)).until(() -> {
                Object held = RedisTestSupport.template().opsForHash().get(bandStore, "BTC-USD").block(Duration.ofSeconds(5));
                return held != null && states.deserialize(String.valueOf(held)).held().equals(List.of(suspect));
            });
        }
        assertThat(refused(ns)).as("held, not refused, when the task stopped").isEmpty();

        try (StreamsRuntime second = new StreamsRuntime(QuantumTraderTopology.build(RegimeRules.defaults(),
                RiskRules.defaults()), config, RedisTestSupport.template())) {
            second.start();
            TradingFixtures.publishChunk(RedisTestSupport.template(), ns, catalog, after.subList(0, 4));
            Awaitility.await("ETH's prints before the hold's end processed").atMost(Duration.ofSeconds(30)).until(() ->
                    states.deserialize(String.valueOf(RedisTestSupport.template().opsForHash().get(bandStore, "ETH-USD")
                            .block(Duration.ofSeconds(5)))).referenceAt() == after.get(3).timestamp());
            assertThat(refused(ns)).as("4 min 1 s after the suspect print: still held").isEmpty();
            TradingFixtures.publishChunk(RedisTestSupport.template(), ns, catalog, after.subList(4, 5));
            Awaitility.await("refused by the restarted task's stream time (its wall clock needs 5 quiet minutes)")
                    .atMost(Duration.ofSeconds(30)).until(() -> !refused(ns).isEmpty());
        }
        assertThat(refused(ns)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(PriceBand.REASON_UNCONFIRMED);
            assertThat(r.tick()).isEqualTo(suspect);
            assertThat(r.referencePrice()).isEqualTo(reference.price());
            assertThat(r.refusedAt()).isEqualTo(suspect.timestamp() + PriceBand.DEFAULT_HOLD_MS);
        });
    }

    private static List<RefusedTick> refused(String ns) {
        return RedisTestSupport.values(ns, QuantumTraderTopology.REFUSED_TICKS, 0, RefusedTick.class);
    }
}
