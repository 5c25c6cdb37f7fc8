package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A HARD_DERISK reduction's audit entry names how much it reduces: the quantity (units of the instrument) and its
 * notional (USD at the trigger price), as its fill and {@code position.closed} carry the size. Before 2026-12-06 the
 * entry said {@code DERISK_REDUCE at <price>} alone, though a reduction closes part of a position (found in review).
 * The whole trading topology in the test driver, on the rules and ticks of {@link HardDeriskDifferentialTest}: a 50 %
 * cap, HARD_DERISK from 4 %, the first 3,000 Bitstamp ticks; 0.000124 BTC are reduced.
 */
class DeriskReduceAuditTest {

    @Test
    void theReductionsAuditEntryCarriesTheQuantityAndNotionalReduced() {
        List<PriceTick> ticks = TradingFixtures.realTicks(3_000);
        RiskRules rules = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 50.0, 20, true).withDerisk(0, 4.0, false);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);

            List<PositionClosed> reductions = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class)
                    .readValuesToList().stream().filter(c -> c.exitReason() == ExitReason.DERISK_REDUCE).toList();
            assertThat(reductions).as("one reduction").hasSize(1);
            PositionClosed reduced = reductions.get(0);
            assertThat(reduced.size()).isEqualTo(0.000124);

            ExitDecision decision = driver.createOutputStream(QuantumTraderTopology.EXITS, ExitDecision.class)
                    .readValuesToList().stream().filter(x -> x.reason() == ExitReason.DERISK_REDUCE).findFirst().orElseThrow();
            assertThat(decision.quantity()).as("the decision carries the size reduced").isEqualTo(reduced.size());
            assertThat(decision.notionalUsd()).isCloseTo(0.000124 * decision.triggerPrice(), within(1e-9));

            List<AuditEntry> audit = driver.createOutputStream(QuantumTraderTopology.AUDIT, AuditEntry.class).readValuesToList();
            assertThat(audit).filteredOn(a -> a.decisionType().equals("EXIT") && a.summary().startsWith("DERISK_REDUCE"))
                    .singleElement().satisfies(a -> {
                        assertThat(a.decisionId()).isEqualTo(reduced.positionId());
                        assertThat(a.summary()).isEqualTo("DERISK_REDUCE at " + decision.triggerPrice() + ": reduces 0.000124 units, "
                                + String.format(java.util.Locale.ROOT, "%.2f", 0.000124 * decision.triggerPrice())
                                + " USD at the trigger price");
                    });
            assertThat(audit).as("other exits' entries unchanged")
                    .filteredOn(a -> a.decisionType().equals("EXIT") && !a.summary().startsWith("DERISK_REDUCE"))
                    .isNotEmpty().allSatisfy(a -> assertThat(a.summary()).matches("[A-Z_]+ at [0-9.E]+"));
        }
    }
}
