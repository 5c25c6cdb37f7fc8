package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.app.RedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HARD_DERISK cancels every pending entry order at the tick that moves the account into it, as the kill switch's trip
 * does (DESIGN §7: HARD_DERISK means no new entries, and pending orders count toward exposure; found in review,
 * 2026-12-06: the venue cancelled such an entry only at its symbol's next print, so until then it still counted toward
 * the exposure and the open positions and held its symbol). The ticks of {@link KillSwitchCancelsPendingEntriesTest}
 * (ETH's entry waits from 01:00 to ETH's next print at 01:10; BTC's position loses from 01:05 on) with no kill switch
 * in the way (a 50 % daily loss limit) and HARD_DERISK from a 0.6 % drawdown: the ETH entry is cancelled at the
 * tick that brings HARD_DERISK, not at 01:10, and counted by position state
 * ({@code position-state|entry_cancelled_hard_derisk_entry}); the reference does the same.
 */
class HardDeriskCancelsPendingEntriesTest {

    static final long T0 = KillSwitchCancelsPendingEntriesTest.T0;
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 1_000.0, 20, false).withDerisk(0, 0.6, false);
    /** {@link #RULES} in the reference's own form. */
    static final IndependentReference.Rules REFERENCE_RULES = new IndependentReference.Rules(100_000, 1.0, 50.0, 50.0, 3,
            1_000.0, 20, false, true, 0, 0.6, false, 0.5, 5, 10, 10, 1, 300, 16, 10);
    static RedisConnection redis;

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void enteringHardDeriskCancelsAPendingEntryOfAnotherSymbolAtOnce() {
        RiskRules rules = RULES;
        List<PriceTick> ticks = KillSwitchCancelsPendingEntriesTest.ticks();
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);

            List<TradeRequest> requests = driver.createOutputStream(QuantumTraderTopology.REQUESTS, TradeRequest.class).readValuesToList();
            List<OrderFilled> fills = driver.createOutputStream(QuantumTraderTopology.FILLS, OrderFilled.class).readValuesToList();
            List<KillSwitch> kills = driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList();
            List<DeRiskUpdate> deRisk = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class).readValuesToList();
            List<OrderRejected> rejected = driver.createOutputStream(QuantumTraderTopology.REJECTED, OrderRejected.class).readValuesToList();
            List<AuditEntry> audit = driver.createOutputStream(QuantumTraderTopology.AUDIT, AuditEntry.class).readValuesToList();
            assertThat(requests).extracting(TradeRequest::symbol).as("ETH's entry first, then BTC's").containsExactly("ETH-USD", "BTC-USD");
            assertThat(fills).extracting(OrderFilled::symbol).as("ETH's entry never fills").containsOnly("BTC-USD");
            assertThat(kills).as("no kill switch").isEmpty();
            assertThat(deRisk).first().satisfies(d -> {
                assertThat(d.previous()).isEqualTo("NORMAL");
                assertThat(d.state()).isEqualTo("HARD_DERISK");
            });
            long hard = deRisk.get(0).changedAt();
            assertThat(hard).as("on a falling BTC print, long before ETH's next print at 01:10")
                    .isBetween(T0 + 65 * 60_000L, T0 + 66 * 60_000L);
            assertThat(rejected).as("ETH's entry cancelled as the account enters HARD_DERISK").singleElement().satisfies(c -> {
                assertThat(c.orderId()).isEqualTo("ord-" + requests.get(0).requestId());
                assertThat(c.symbol()).isEqualTo("ETH-USD");
                assertThat(c.rejectedAt()).isEqualTo(hard);
                assertThat(c.reason()).isEqualTo("cancelled: the account entered HARD_DERISK (" + deRisk.get(0).reason() + ")");
            });
            assertThat(audit).as("audited").anySatisfy(a -> {
                assertThat(a.decisionType()).isEqualTo("ORDER_CANCELLED");
                assertThat(a.decisionId()).isEqualTo(rejected.get(0).orderId());
                assertThat(a.decidedAt()).isEqualTo(hard);
            });
            assertThat(driver.<String, io.quantumtrader.trader.execution.PendingOrder>getKeyValueStore("orders").all()).isEmpty();
            // counted by position state, which decides it (review, 2026-12-06: it was in trades.order.rejected, in no meter)
            assertThat(driver.countedRecords()).as("qt.streams.node.records.counted, node|reason")
                    .containsEntry("position-state|entry_cancelled_hard_derisk_entry", 1L)
                    .containsEntry("position-state|entry_cancelled_kill_switch_trip", 0L)
                    .containsEntry("paper-venue|entry_cancelled_hard_derisk_entry", 0L);

            // the reference cancels it on entering HARD_DERISK too, and fills the same
            IndependentReference reference = TradingFixtures.ran(new IndependentReference(REFERENCE_RULES), ticks);
            assertThat(reference.fills).isEqualTo(fills);
            assertThat(reference.deRiskTimeline).first().isEqualTo(hard + " NORMAL -> HARD_DERISK");
            assertThat(reference.rejected).isEqualTo(rejected);
        }
    }

    /**
     * The same on a real Redis (the whole pipeline, its tasks and streams): {@code trades.order.rejected} holds the
     * cancellation at the tick that brought HARD_DERISK, and everything the differential test compares equals the
     * reference, the cancelled orders included.
     */
    @Test
    void onRedisTheCancellationEqualsTheReferences() {
        redis = RedisConnection.embedded();
        List<PriceTick> ticks = KillSwitchCancelsPendingEntriesTest.ticks();
        String ns = TradingFixtures.runOnRedis(redis, RULES, ticks, "hard-cancels");
        List<OrderRejected> rejected = TradingFixtures.payloads(redis, ns, QuantumTraderTopology.REJECTED, OrderRejected.class);
        List<DeRiskUpdate> deRisk = TradingFixtures.payloads(redis, ns, QuantumTraderTopology.DERISK, DeRiskUpdate.class);
        assertThat(rejected).singleElement().satisfies(c -> {
            assertThat(c.symbol()).isEqualTo("ETH-USD");
            assertThat(c.rejectedAt()).isEqualTo(deRisk.get(0).changedAt()).isLessThan(T0 + 70 * 60_000L);
            assertThat(c.reason()).startsWith("cancelled: the account entered HARD_DERISK (drawdown ");
        });
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(REFERENCE_RULES), ticks);
        DifferentialTest.assertSameResults(redis, ns, reference, REFERENCE_RULES);
    }
}
