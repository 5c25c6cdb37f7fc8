package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, hostile input, round 2): KillSwitchResets tells a new reset from one already applied by the value's
 * activated_at alone. A reset written by another client with the same activated_at as the last applied one (a tool
 * that writes a constant, two resets in one millisecond) is ignored silently: not applied, not audited, not counted.
 */
class ResetIdentityTest {

    @Test
    void aSecondResetWithTheSameActivatedAtIsAuditedToo() {
        List<PriceTick> ticks = TradingFixtures.realTicks(3_000);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            TestInputStream<KillSwitch> table = driver.createInputStream(QuantumTraderTopology.KILL_SWITCH);
            ticks.subList(0, 1_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            table.pipeInput("paper", new KillSwitch("paper", false, "first", 0, 0, false, "alice"), ticks.get(999).timestamp());
            ticks.subList(1_000, 2_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            table.pipeInput("paper", new KillSwitch("paper", false, "second", 0, 0, false, "bob"), ticks.get(1_999).timestamp());
            driver.endInput(QuantumTraderTopology.KILL_SWITCH);
            ticks.subList(2_000, 3_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            List<Object> commands = driver.createOutputStream(QuantumTraderTopology.AUDIT, Map.class).readValuesToList().stream()
                    .filter(a -> "KILL_SWITCH_COMMAND".equals(a.get("decision_type"))).map(a -> a.get("summary")).toList();
            assertThat(commands).as("audited kill-switch commands").containsExactly("reset by alice: first", "reset by bob: second");
        }
    }
}
