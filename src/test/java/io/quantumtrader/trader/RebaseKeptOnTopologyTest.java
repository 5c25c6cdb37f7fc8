package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review: the operator re-bases the drawdown (kill-switch-reset --rebase-drawdown) of an account in HARD_DERISK with
 * an open loss on BTC; the account goes NORMAL. Then a small ETH position closes at a PROFIT (+~18 USD): position
 * state puts the account straight back into HARD_DERISK (drawdown 9.1 %), because Account.peaked() raises the re-based
 * peak to the realized equity at any close and the forgiven BTC loss counts again in full.
 */
class RebaseKeptOnTopologyTest {

    static final long DAY = 86_400_000L;
    static final long T0 = 1_700_000_000_000L / DAY * DAY + 3_600_000;
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(3, 8, false);

    @Test
    void aProfitableCloseElsewhereDoesNotPutTheReBasedAccountBackIntoHardDerisk() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build(RegimeRules.defaults(), RULES))) {
            Account a = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100)
                    .withDeRisk(DeRiskState.HARD_DERISK);
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, a);
            driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                    new Position("pos-btc", "BTC-USD", Direction.LONG, 10, 10_000, 5_000, 20_000, 0.0, T0 - 60_000, false, 9_090.0));
            driver.<String, Position>getKeyValueStore("positions").put("ETH-USD",
                    new Position("pos-eth", "ETH-USD", Direction.LONG, 10, 100, 50, 200, 0.0, T0 - 60_000, true, 100.0));
            driver.<String, PendingOrder>getKeyValueStore("orders").put("exit-pos-eth", new PendingOrder("exit-pos-eth", null,
                    "pos-eth", "ETH-USD", Direction.LONG, OrderFilled.Purpose.EXIT, 10, 0, 0, "TIME_EXIT", "earlier", 0));

            driver.createInputStream(QuantumTraderTopology.KILL_SWITCH)
                    .pipeInput("paper", new KillSwitch("paper", false, "reviewed: resume", 0, T0 + 1_000, true), T0 + 1_000);
            var ticks = driver.<PriceTick>createInputStream(QuantumTraderTopology.TICKS);
            ticks.pipeInput("BTC-USD", new PriceTick("BTC-USD", 9_090, 1, T0 + 1_000), T0 + 1_000);   // applies the re-base
            var deRisk = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class);
            List<DeRiskUpdate> rebased = deRisk.readValuesToList();
            assertThat(rebased).as("the re-base takes the account out of HARD_DERISK").last()
                    .satisfies(d -> assertThat(d.state()).isEqualTo("NORMAL"));

            ticks.pipeInput("ETH-USD", new PriceTick("ETH-USD", 102, 1, T0 + 2_000), T0 + 2_000);   // ETH's exit fills, a gain
            List<PositionClosed> closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readValuesToList();
            assertThat(closed).singleElement().satisfies(c -> assertThat(c.realizedPnl()).isPositive());
            Account after = driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
            System.out.println("REVIEW after the ETH close: peak " + after.peakEquityUsd() + " drawdown " + after.drawdownPct()
                    + " state " + after.deRisk() + " changes " + deRisk.readValuesToList());
            assertThat(after.deRisk()).as("a profit after the re-base, BTC unchanged").isNotEqualTo(DeRiskState.HARD_DERISK);
        }
    }
}
