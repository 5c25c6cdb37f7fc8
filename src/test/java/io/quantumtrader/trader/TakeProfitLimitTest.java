package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.*;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The take profit as an immediate-or-cancel limit order at the target, on the full topology in the test driver (stores
 * seeded with an open position): a tick at or beyond the target fills it at the target or better. Found in review of
 * its first version (2026-12-05), which required the slipped price beyond the target: a price resting within the
 * slippage of the target never filled, the exit brain placed the order again on every tick, and HARD_DERISK's reduction
 * waited behind it.
 */
class TakeProfitLimitTest {

    static final long T = 1_700_000_000_000L;
    static final RiskRules RULES = RiskRules.defaults();

    /** LONG 10 @ 100, stop 90, target 110; the market trades at 110.00..110.05, within 5 bps above the target. */
    @Test
    void aTakeProfitTouchedWithinTheSlippageOfTheTargetFillsAtTheTarget() {
        try (TopologyTestDriver driver = longTenAt100ThenBtcAt(new double[]{105, 110.00, 110.02, 110.05, 110.01, 110.03, 110.04, 110.02, 110.00, 105, 104})) {
            List<ExitDecision> exits = driver.createOutputStream(QuantumTraderTopology.EXITS, ExitDecision.class).readValuesToList();
            List<OrderRejected> rejected = driver.createOutputStream(QuantumTraderTopology.REJECTED, OrderRejected.class).readValuesToList();
            List<PositionClosed> closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readValuesToList();
            System.out.println("REVIEW cancellations: " + rejected.size() + " " + rejected.stream().map(OrderRejected::reason).toList());
            System.out.println("REVIEW open at the end: " + driver.<String, Position>getKeyValueStore("positions").get("BTC-USD"));
            assertThat(closed).as("the market traded at or above the 110 limit 8 times: a limit sell at 110 fills").hasSize(1);
            assertThat(exits).as("one exit decision per exit, not one per tick in the band").hasSize(1);
            assertThat(closed.get(0).exitPrice()).as("the limit, not the slipped 109.945").isEqualTo(110.0);
        }
    }

    /**
     * HARD_DERISK, over the cap (gross 160,000 USD, cap 130 % of 91,000 = 118,300): BTC (100,000 USD) touches its
     * target, so ETH (60,000) is not reduced while BTC's take profit is pending; the take profit must then fill, or the
     * account stays over the cap (it did while BTC hovered within 5 bps above its target).
     */
    @Test
    void hardDeRiskReductionWaitsForeverBehindAChurningTakeProfit() {
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), RULES))) {
            Account a = new Account(Account.PAPER, 91_000, 100_000, Math.floorDiv(T, 86_400_000L), 91_000, 0, 0, 0, 2, 160_000,
                    false, 0, 9.0, DeRiskState.HARD_DERISK);
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, a);
            driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                    new Position("pos-btc", "BTC-USD", Direction.LONG, 1_000, 100, 90, 110, 100, T - 60_000, false));
            driver.<String, Position>getKeyValueStore("positions").put("ETH-USD",
                    new Position("pos-eth", "ETH-USD", Direction.LONG, 600, 100, 50, 200, 60, T - 60_000, false));
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            long t = T;
            for (int i = 0; i < 30; i++) {   // 30 seconds: BTC in the band above its target, ETH quiet
                in.pipeInput("BTC-USD", new PriceTick("BTC-USD", 110.01 + (i % 3) * 0.01, 1, t), t);
                in.pipeInput("ETH-USD", new PriceTick("ETH-USD", 100, 1, t), t);
                t += 1000;
            }
            driver.endInput(QuantumTraderTopology.TICKS);
            List<ExitDecision> exits = driver.createOutputStream(QuantumTraderTopology.EXITS, ExitDecision.class).readValuesToList();
            List<PositionClosed> closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readValuesToList();
            System.out.println("REVIEW derisk closed: " + closed.size());
            assertThat(closed).as("positions closed while 41,700 USD over the cap in HARD_DERISK for 30 s").isNotEmpty();
        }
    }

    /**
     * A take profit whose limit the next tick does not reach is cancelled ({@code trades.order.rejected}) and counted,
     * {@code paper-venue|take_profit_cancelled_limit_not_reached}, as the replay's report shows under "counted by
     * processors" (found in review, 2026-12-06: the cancellation was in the stream but in no meter). LONG 10 @ 100,
     * target 110: the print at 110 places the take profit, the next at 109 does not reach its limit.
     */
    @Test
    void aTakeProfitCancelledBecauseTheNextTickDidNotReachTheLimitIsCounted() {
        try (TopologyTestDriver driver = longTenAt100ThenBtcAt(new double[]{105, 110, 109})) {
            List<OrderRejected> rejected = driver.createOutputStream(QuantumTraderTopology.REJECTED, OrderRejected.class).readValuesToList();
            assertThat(rejected).singleElement().satisfies(c -> assertThat(c.reason())
                    .isEqualTo("cancelled: the take profit's limit 110.0000 was not reached (the tick traded at 109.0000)"));
            assertThat(driver.countedRecords()).containsEntry("paper-venue|take_profit_cancelled_limit_not_reached", 1L);
        }
    }

    /**
     * The whole topology in the test driver with a LONG 10 BTC @ 100 open (stop 90, target 110, entry fee 1 USD, opened
     * a minute before {@link #T}), then BTC's prints {@code prices}, one a second from {@link #T}, and the end of input.
     */
    private static TopologyTestDriver longTenAt100ThenBtcAt(double[] prices) {
        TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), RULES));
        driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, Account.start(RULES).onDay(T, false).opened(1_000));
        driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                new Position("pos-1", "BTC-USD", Direction.LONG, 10, 100, 90, 110, 1.0, T - 60_000, false));
        TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
        for (int i = 0; i < prices.length; i++) {
            in.pipeInput("BTC-USD", new PriceTick("BTC-USD", prices[i], 1, T + i * 1000L), T + i * 1000L);
        }
        driver.endInput(QuantumTraderTopology.TICKS);
        return driver;
    }
}
