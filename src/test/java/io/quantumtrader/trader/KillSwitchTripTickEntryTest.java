package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * No entry opens a position on the tick that trips the kill switch (found in review, 2026-12-06: an entry filling on
 * that tick was opened, then closed for the kill switch on the next tick; a desk expects no new position once the kill
 * switch trips, its tick included). The paper venue books the tick on a copy first (as position state will) and cancels
 * the tick's entry fills when the day's loss of marked equity reaches the limit without them (the tick's own trip) or
 * with them (the entry's own fee and slippage would trip it): {@code trades.order.rejected} names why, the audit log has
 * it, the venue counts it ({@code entry_cancelled_kill_switch_trip}); the reference does the same.
 */
class KillSwitchTripTickEntryTest {

    /**
     * The whole topology in the test driver on {@link KillSwitchCancelsPendingEntriesTest#ticks()}: ETH's LONG entry
     * waits from 01:00 for ETH's next print at 01:10; BTC's position, open since 01:05:00, has fallen to a marked loss
     * below the 0.8 % daily limit by then; ETH's entry (about 221,600 USD of notional) would pay about 332 USD of fee and
     * slippage at once, taking the day's loss to 0.98 %: before the fix it filled and the kill switch tripped on its tick
     * (and the exit brain closed it for the kill switch at ETH's next print).
     */
    @Test
    void anEntryWhoseOwnFillWouldTripTheKillSwitchIsCancelledNotOpened() {
        RiskRules rules = RiskRules.of(100_000, 1.0, 0.8, 10.0, 3, 1_000.0, 20, false);
        List<PriceTick> ticks = KillSwitchCancelsPendingEntriesTest.ticks();
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);

            List<TradeRequest> requests = driver.createOutputStream(QuantumTraderTopology.REQUESTS, TradeRequest.class).readValuesToList();
            List<OrderFilled> fills = driver.createOutputStream(QuantumTraderTopology.FILLS, OrderFilled.class).readValuesToList();
            List<PositionOpened> opened = driver.createOutputStream(QuantumTraderTopology.OPENED, PositionOpened.class).readValuesToList();
            List<KillSwitch> kills = driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList();
            List<OrderRejected> rejected = driver.createOutputStream(QuantumTraderTopology.REJECTED, OrderRejected.class).readValuesToList();
            List<AuditEntry> audit = driver.createOutputStream(QuantumTraderTopology.AUDIT, AuditEntry.class).readValuesToList();
            assertThat(requests).extracting(TradeRequest::symbol).containsExactly("ETH-USD", "BTC-USD");
            assertThat(fills).extracting(OrderFilled::symbol).as("ETH's entry never fills").containsOnly("BTC-USD");
            assertThat(opened).extracting(PositionOpened::symbol).containsExactly("BTC-USD");
            assertThat(kills).as("without the entry the day's loss stays below the limit: no trip").isEmpty();
            long ethPrint = ticks.get(ticks.size() - 1).timestamp();
            assertThat(rejected).singleElement().satisfies(c -> {
                assertThat(c.orderId()).isEqualTo("ord-" + requests.get(0).requestId());
                assertThat(c.rejectedAt()).isEqualTo(ethPrint);
                assertThat(c.reason()).isEqualTo("cancelled: the fill would trip the kill switch (daily loss 0.9846% of "
                        + "marked equity >= 0.8% limit with it)");
            });
            assertThat(audit).as("audited").anySatisfy(a -> {
                assertThat(a.decisionType()).isEqualTo("ORDER_CANCELLED");
                assertThat(a.decisionId()).isEqualTo(rejected.get(0).orderId());
            });
            assertThat(driver.countedRecords()).containsEntry("paper-venue|entry_cancelled_kill_switch_trip", 1L);
            assertThat(driver.<String, Position>getKeyValueStore("positions").get("ETH-USD")).isNull();

            IndependentReference reference = TradingFixtures.ran(new IndependentReference(new IndependentReference.Rules(100_000,
                    1.0, 0.8, 10.0, 3, 1_000.0, 20, false, true, 3.0, 8.0, true, 0.5, 5, 10, 10, 1, 300, 16, 10)), ticks);
            assertThat(reference.fills).isEqualTo(fills);
            assertThat(reference.killSwitchTimes).isEmpty();
            assertThat(reference.rejected).as("the same cancellation, reason included").isEqualTo(rejected);
            assertThat(reference.entriesCancelledOnTrip).isEqualTo(1);
        }
    }

    static final long T0 = 1_700_000_000_000L / 86_400_000L * 86_400_000L + 3_600_000;   // 01:00 UTC
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 2.0, 50.0, 5, 1_000.0, 20, false).withDerisk(0, 0, false);

    /**
     * The tick's own trip: a LONG 50 BTC at 10,000 is open and an add of 10 BTC is pending; BTC's next print, at 9,966,
     * marks the position 1,700 USD down plus its 500 USD entry fee (2.2 % of the day's 100,000) and fills the add.
     * The add is cancelled, the kill switch trips on that tick, the position keeps its 50 BTC. The venue and position
     * state run for real in a test driver over the portfolio's stores (the whole topology never places an add here: the
     * first entry takes the whole 1 % budget).
     */
    @Test
    void anAddFillingOnTheTickThatTripsTheKillSwitchIsCancelled() {
        try (TopologyTestDriver driver = new TopologyTestDriver(venueAndPositionState("trip-tick", RULES))) {
            TestInputStream<PriceTick> in = driver.createInputStream("ticks");
            openLong50At10000(driver, in);
            driver.<String, PendingOrder>getKeyValueStore("orders").put("ord-add", new PendingOrder("ord-add", "req-add",
                    "pos-add", "BTC-USD", Direction.LONG, OrderFilled.Purpose.ENTRY, 10, 9_000, 12_000, null, "earlier",
                    9_500, 0, DeRiskState.NORMAL));   // approved at 9,500: filling at 9,971 it would be re-sized (a gap)

            in.pipeInput("BTC-USD", new PriceTick("BTC-USD", 9_966, 1, T0 + 1_000), T0 + 1_000);

            assertThat(driver.createOutputStream("fills", OrderFilled.class).readValuesToList()).as("no fill").isEmpty();
            assertThat(driver.createOutputStream("rejected", OrderRejected.class).readValuesToList()).singleElement()
                    .satisfies(c -> {
                        assertThat(c.orderId()).isEqualTo("ord-add");
                        assertThat(c.reason()).isEqualTo("cancelled: the kill switch trips on the fill's tick (daily loss "
                                + "2.2% of marked equity >= 2% limit)");
                        assertThat(c.rejectedAt()).isEqualTo(T0 + 1_000);
                    });
            assertThat(driver.createOutputStream("kills", KillSwitch.class).readValuesToList()).singleElement()
                    .satisfies(k -> assertThat(k.activatedAt()).isEqualTo(T0 + 1_000));
            assertThat(driver.<String, Position>getKeyValueStore("positions").get("BTC-USD").size()).isCloseTo(50, within(1e-9));
            assertThat(driver.<String, Account>getKeyValueStore("account").get(Account.PAPER).grossExposureUsd())
                    .isCloseTo(500_000, within(1e-6));
            assertThat(driver.countedRecords()).containsEntry("paper-venue|entry_cancelled_kill_switch_trip", 1L)
                    .as("a cancelled entry is not counted as re-sized").containsEntry("paper-venue|entry_resized_gap", 0L);
        }
    }

    /**
     * Two adds of 10 BTC wait for BTC's print at 9,975, which marks the open 50 BTC 1,250 USD down plus its 500 USD
     * entry fee (1.75 % of the day's 100,000); each add's own fee and slippage cost about 150 USD (0.15 %): one fits
     * below the 2 % limit, both would not. The first in the venue's order (by order id) fills, the second is cancelled,
     * the kill switch does not trip. Before (review of 2026-12-06) both were cancelled: one entry that would trip the
     * limit cancelled every entry of its tick, though the first fills as on any other tick.
     */
    @Test
    void onlyTheEntryThatWouldTripTheKillSwitchIsCancelledNotTheOneBeforeIt() {
        try (TopologyTestDriver driver = new TopologyTestDriver(venueAndPositionState("trip-tick-two", RULES))) {
            TestInputStream<PriceTick> in = driver.createInputStream("ticks");
            openLong50At10000(driver, in);
            for (String n : List.of("1", "2")) {
                driver.<String, PendingOrder>getKeyValueStore("orders").put("ord-add-" + n, new PendingOrder("ord-add-" + n,
                        "req-add-" + n, "pos-add-" + n, "BTC-USD", Direction.LONG, OrderFilled.Purpose.ENTRY, 10, 9_000,
                        12_000, null, "earlier", 9_975, 0, DeRiskState.NORMAL));
            }

            in.pipeInput("BTC-USD", new PriceTick("BTC-USD", 9_975, 1, T0 + 1_000), T0 + 1_000);

            assertThat(driver.createOutputStream("fills", OrderFilled.class).readValuesToList()).singleElement()
                    .satisfies(f -> assertThat(f.orderId()).contains("ord-add-1"));
            assertThat(driver.createOutputStream("rejected", OrderRejected.class).readValuesToList()).singleElement()
                    .satisfies(c -> {
                        assertThat(c.orderId()).isEqualTo("ord-add-2");
                        assertThat(c.reason()).startsWith("cancelled: the fill would trip the kill switch (daily loss 2.0")
                                .endsWith("% of marked equity >= 2% limit with it)");
                    });
            assertThat(driver.createOutputStream("kills", KillSwitch.class).readValuesToList()).as("no trip").isEmpty();
            assertThat(driver.<String, Position>getKeyValueStore("positions").get("BTC-USD").size()).isCloseTo(60, within(1e-9));
            Account after = driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
            assertThat(after.dailyLossPct()).isBetween(1.8, 2.0);
            assertThat(after.killSwitch()).isFalse();
            assertThat(driver.countedRecords()).containsEntry("paper-venue|entry_cancelled_kill_switch_trip", 1L);
        }
    }

    /**
     * HARD_DERISK allows no new entries, its first tick included, as the kill switch: the setup of
     * {@link #anAddFillingOnTheTickThatTripsTheKillSwitchIsCancelled} with the daily loss limit at 50 % and HARD_DERISK
     * from a 2 % drawdown: BTC's print at 9,966 takes the drawdown of marked equity to 2.2 % and fills the add. The add
     * is cancelled, the account enters HARD_DERISK on that tick, the position keeps its 50 BTC. Before (review of
     * 2026-12-06) the add filled on the tick that entered HARD_DERISK: a new position (here 10 BTC more) in HARD_DERISK.
     */
    @Test
    void anEntryFillingOnTheTickThatEntersHardDeriskIsCancelled() {
        RiskRules rules = RiskRules.of(100_000, 1.0, 50.0, 50.0, 5, 1_000.0, 20, false).withDerisk(0, 2.0, false);
        try (TopologyTestDriver driver = new TopologyTestDriver(venueAndPositionState("hard-tick", rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream("ticks");
            openLong50At10000(driver, in);
            driver.<String, PendingOrder>getKeyValueStore("orders").put("ord-add", new PendingOrder("ord-add", "req-add",
                    "pos-add", "BTC-USD", Direction.LONG, OrderFilled.Purpose.ENTRY, 10, 9_000, 12_000, null, "earlier",
                    9_966, 0, DeRiskState.NORMAL));

            in.pipeInput("BTC-USD", new PriceTick("BTC-USD", 9_966, 1, T0 + 1_000), T0 + 1_000);

            assertThat(driver.createOutputStream("fills", OrderFilled.class).readValuesToList()).as("no fill").isEmpty();
            assertThat(driver.createOutputStream("rejected", OrderRejected.class).readValuesToList()).singleElement()
                    .satisfies(c -> {
                        assertThat(c.orderId()).isEqualTo("ord-add");
                        assertThat(c.reason()).isEqualTo("cancelled: the account enters HARD_DERISK on the fill's tick "
                                + "(drawdown 2.2% >= 2%)");
                    });
            assertThat(driver.createOutputStream("kills", KillSwitch.class).readValuesToList()).isEmpty();
            Account after = driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
            assertThat(after.deRisk()).isEqualTo(DeRiskState.HARD_DERISK);
            assertThat(driver.<String, Position>getKeyValueStore("positions").get("BTC-USD").size()).isCloseTo(50, within(1e-9));
            assertThat(driver.countedRecords()).containsEntry("paper-venue|entry_cancelled_hard_derisk_entry", 1L)
                    .containsEntry("paper-venue|entry_cancelled_kill_switch_trip", 0L);
        }
    }
    /**
     * The paper venue and position state over the portfolio's stores, as the topology runs them: ticks → venue (fills,
     * rejected) → position state (kills).
     */
    private static io.quantumtrader.streams.dsl.Topology venueAndPositionState(String applicationId, RiskRules rules) {
        TopologyBuilder b = new TopologyBuilder(applicationId);
        TradingFixtures.venueAndPositionState(b, rules)
                .flatMapValues(o -> o.killSwitch() == null ? List.<KillSwitch>of() : List.of(o.killSwitch()),
                        Named.as("kill-switch"))
                .to("kills");
        return b.build();
    }

    /**
     * BTC's first print at 10,000, then the book as the risk kernel and order entry left it: a LONG 50 BTC at 10,000
     * (stop 9,000, target 12,000, entry fee 500 USD) open, the account's gross 500,000 USD and its mark -500 USD.
     */
    private static void openLong50At10000(TopologyTestDriver driver, TestInputStream<PriceTick> in) {
        in.pipeInput("BTC-USD", new PriceTick("BTC-USD", 10_000, 1, T0), T0);
        driver.<String, Position>getKeyValueStore("positions").put("BTC-USD", new Position("pos-BTC", "BTC-USD",
                Direction.LONG, 50, 10_000, 9_000, 12_000, 500, T0, false, 10_000.0));
        Account a = driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
        driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, a.opened(500_000).marked(-500));
    }
}
