package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SHORT signal whose 3 x ATR target lies at or below 0 — a low price falling fast, its ATR (a 14-candle average) large
 * beside the price — is vetoed by the risk kernel on trade risk, naming the target (found in review, 2026-12-06: the
 * entry filled and its take profit could never fire; likewise a LONG whose 2 x ATR stop is below 0). The whole topology
 * in the test driver, and {@link IndependentReference} (its own rule) fills the same.
 */
class UnreachableStopOrTargetTest {

    /** @return PENNY from 100, 4 prints a minute with a wiggle: down 5 % a minute for 80 minutes, then 9 % a minute */
    static List<PriceTick> ticks() {
        List<PriceTick> out = new ArrayList<>();
        double p = 100;
        long t0 = 1_385_337_600_000L;   // 2013-11-25T00:00Z
        for (int m = 0; m < 120; m++) {
            double perMinute = m < 80 ? 0.05 : 0.09;
            for (int s = 0; s < 60; s += 15) {
                p *= Math.pow(1 - perMinute, 0.25) * (s == 30 ? 1.004 : 0.999);
                out.add(new PriceTick("PENNY", p, 1, t0 + m * 60_000L + s * 1000L));
            }
        }
        return out;
    }

    @Test
    void aShortWhoseTargetIsAtOrBelowZeroIsVetoedAndNeverFills() {
        RiskRules rules = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks().forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);

            List<Signal> signals = driver.createOutputStream(QuantumTraderTopology.SIGNALS, Signal.class).readValuesToList();
            List<RiskEvaluation> evaluations = driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).readValuesToList();
            List<OrderFilled> fills = driver.createOutputStream(QuantumTraderTopology.FILLS, OrderFilled.class).readValuesToList();
            List<OrderRejected> rejected = driver.createOutputStream(QuantumTraderTopology.REJECTED, OrderRejected.class).readValuesToList();
            assertThat(signals).as("SHORT signals with a target at or below 0 come")
                    .anySatisfy(s -> assertThat(s.takeProfit()).isLessThanOrEqualTo(0));
            assertThat(evaluations).anySatisfy(e -> {
                assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.VETOED);
                assertThat(e.riskDimensions().tradeRiskPassed()).isFalse();
                assertThat(e.vetoReason()).matches("the target -[0-9.]+ is at or below 0, never reached \\(entry [0-9.]+\\)");
            });
            assertThat(fills).as("the earlier signals, with their targets above 0, still trade")
                    .anySatisfy(f -> assertThat(f.direction()).isEqualTo(Direction.SHORT));
            assertThat(fills).as("no entry with an unreachable target fills")
                    .filteredOn(f -> f.purpose() == OrderFilled.Purpose.ENTRY)
                    .allSatisfy(f -> assertThat(f.takeProfit()).isGreaterThan(0));

            IndependentReference reference = TradingFixtures.ran(new IndependentReference(new IndependentReference.Rules(100_000,
                    1.0, 50.0, 50.0, 3, 130.0, 20, false, true, 3.0, 8.0, true, 0.5, 5, 10, 10, 1, 300, 16, 10)), ticks());
            assertThat(reference.fills).isEqualTo(fills);
            assertThat(reference.rejected).isEqualTo(rejected);
        }
    }
}
