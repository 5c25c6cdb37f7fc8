package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paper venue cancels the pending entries the account may no longer make when their tick comes: every entry under
 * the kill switch or in HARD_DERISK, an add in SOFT_DERISK (DESIGN §7). Found in review, 2026-12-05: an entry approved
 * in NORMAL still filled after a loss in another symbol had moved the account to HARD_DERISK.
 */
class PaperVenueCancellationTest {

    static final RiskRules RULES = RiskRules.defaults();
    static final long T = 1_700_000_000_000L;

    /**
     * @param counted the driver's {@code qt.streams.node.records.counted}, {@code node|reason} to count
     */
    record Outcome(java.util.List<OrderFilled> fills, java.util.List<OrderRejected> rejected, java.util.Map<String, Long> counted) {
    }

    static Outcome venue(DeRiskState state, boolean kill, boolean openPosition) {
        return venue(state, kill, openPosition, 101);
    }

    static Outcome venue(DeRiskState state, boolean kill, boolean openPosition, double tickPrice) {
        Account a = Account.start(RULES).onDay(T, false).withDeRisk(state);
        return venue(kill ? a.killed() : a, new PendingOrder("o-1", "r-1", "p-1", "BTC-USD",
                Direction.LONG, OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100), openPosition, tickPrice);
    }

    static Outcome venue(Account account, PendingOrder order, boolean openPosition, double tickPrice) {
        TopologyBuilder b = new TopologyBuilder("venue");
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", io.quantumtrader.trader.events.RegimeUpdate.class));
        var out = b.stream("ticks", PriceTick.class)
                .process(() -> new PaperVenueProcessor(PaperVenue.defaults(), RULES), Named.as("paper-venue"), "orders", "account", "positions", "regimes");
        out.flatMapValues(VenueOutput::fills, Named.as("fills")).to("fills");
        out.flatMapValues(VenueOutput::rejected, Named.as("rejections")).to("rejected");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, account);
            driver.<String, PendingOrder>getKeyValueStore("orders").put(order.orderId(), order);
            if (openPosition) {
                driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                        new Position("p-0", "BTC-USD", Direction.LONG, 1, 95, 90, 130, 0.1, T - 1, false));
            }
            driver.createInputStream("ticks").pipeInput("BTC-USD", new PriceTick("BTC-USD", tickPrice, 1, T + 1), T + 1);
            return new Outcome(driver.createOutputStream("fills", OrderFilled.class).readValuesToList(),
                    driver.createOutputStream("rejected", OrderRejected.class).readValuesToList(), driver.countedRecords());
        }
    }

    @Test
    void pendingEntriesTheAccountMayNoLongerMakeAreCancelledWithTheReason() {
        assertThat(venue(DeRiskState.NORMAL, false, false).fills()).hasSize(1);
        assertThat(venue(DeRiskState.NORMAL, true, false).rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: kill switch active");
        Outcome hard = venue(DeRiskState.HARD_DERISK, false, false);
        assertThat(hard.fills()).isEmpty();
        assertThat(hard.rejected()).extracting(OrderRejected::reason).containsExactly("cancelled: hard de-risk: no new entries");
        Outcome softAdd = venue(DeRiskState.SOFT_DERISK, false, true);
        assertThat(softAdd.fills()).isEmpty();
        assertThat(softAdd.rejected()).extracting(OrderRejected::reason).containsExactly("cancelled: soft de-risk: no adds");
        assertThat(venue(DeRiskState.SOFT_DERISK, false, false).fills()).as("a new position may still open in SOFT_DERISK")
                .hasSize(1);
    }

    /**
     * An entry never fills at or beyond its own stop, nor on a print at or beyond it: it would be stopped out on the
     * tick that opened it (found in review, 2026-12-05: in the replay an add approved at 809.69 filled at 802.80, below
     * its stop of 803.28, on the tick that stopped the position out). The LONG entry's stop is 90; with 5 bps slippage
     * a tick at 90.01 fills at 90.0550 (fills); one at 89.96 would fill at 90.0050, above the stop, but the exit brain
     * compares the print with the stop and closed it on that tick (review 2026-12-07: it filled); one at 89.95 would
     * fill at 89.9950, below the stop (cancelled).
     */
    @Test
    void anEntryIsCancelledWhenItsFillPriceIsAtOrBeyondItsStop() {
        assertThat(venue(DeRiskState.NORMAL, false, false, 90.01).fills()).hasSize(1);
        assertThat(venue(DeRiskState.NORMAL, false, false, 89.96).rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: the print 89.9600 is at or beyond the order's stop 90.0000: the position would "
                        + "be stopped out on the tick that opens it");
        Outcome beyond = venue(DeRiskState.NORMAL, false, false, 89.95);
        assertThat(beyond.fills()).isEmpty();
        assertThat(beyond.rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: the fill price 89.9950 is at or beyond the order's stop 90.0000");
    }

    /**
     * An entry placed before the kill switch tripped does not fill after the operator's reset (found in review,
     * 2026-12-06: the venue checked only whether the switch was on at the fill, so a stale approval filled and position
     * state tripped the switch again on the same tick, a forced round trip). The order carries the account's kill
     * switch activations at its placement.
     */
    @Test
    void anEntryPlacedBeforeTheKillSwitchTrippedIsCancelledEvenAfterTheReset() {
        Account resetAfterATrip = Account.start(RULES).onDay(T, false).killed().reset();
        PendingOrder placedBefore = new PendingOrder("o-1", "r-1", "p-1", "BTC-USD", Direction.LONG,
                OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100, 0, DeRiskState.NORMAL);
        Outcome stale = venue(resetAfterATrip, placedBefore, false, 101);
        assertThat(stale.fills()).isEmpty();
        assertThat(stale.rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: the kill switch tripped after the entry was placed (activations 0 -> 1)");
        PendingOrder placedAfter = new PendingOrder("o-1", "r-1", "p-1", "BTC-USD", Direction.LONG,
                OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100, 1, DeRiskState.NORMAL);
        assertThat(venue(resetAfterATrip, placedAfter, false, 101).fills()).as("placed after the reset").hasSize(1);
    }

    /**
     * A gap between the approval and the fill does not take the trade's risk past what the kernel approved (found in
     * review, 2026-12-06: approved at 100 with its stop at 90, it filled at any later price, its loss at the stop
     * growing with the gap), and an entry whose fill is at or beyond its target does not open; an entry placed in
     * NORMAL fills at half size once the account is in SOFT_DERISK.
     */
    @Test
    void aGapReSizesTheEntryToItsApprovedLossAndPastTheTargetCancelsIt() {
        Account normal = Account.start(RULES).onDay(T, false);
        PendingOrder order = new PendingOrder("o-1", "r-1", "p-1", "BTC-USD", Direction.LONG,
                OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100, 0, DeRiskState.NORMAL);
        assertThat(venue(normal, order, false, 100).fills()).extracting(OrderFilled::size).as("no gap").containsExactly(2.0);
        OrderFilled gapped = venue(normal, order, false, 110).fills().get(0);
        double approvedLoss = 2 * (10 + 190 * 15 / 10_000.0);
        double lossAtStop = gapped.size() * (gapped.price() - 90 + 90 * 15 / 10_000.0) + gapped.feeUsd();
        assertThat(gapped.size()).isLessThan(1.1);
        assertThat(lossAtStop).as("the loss at the stop from the fill, costs included").isCloseTo(approvedLoss,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(gapped.size() * gapped.price()).as("notional no more than approved").isLessThan(2 * 100);

        Outcome pastTarget = venue(normal, order, false, 131);
        assertThat(pastTarget.fills()).isEmpty();
        assertThat(pastTarget.rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: the fill price 131.0655 is at or beyond the order's target 130.0000");

        assertThat(venue(normal.withDeRisk(DeRiskState.SOFT_DERISK), order, false, 100).fills())
                .extracting(OrderFilled::size).as("placed in NORMAL, filled in SOFT_DERISK").containsExactly(1.0);
        assertThat(venue(normal, order, false, 100).fills()).extracting(OrderFilled::size).containsExactly(2.0);
    }

    /**
     * Every entry the venue cancels at its fill is counted under its reason in {@code qt.streams.node.records.counted}
     * (node {@code paper-venue}), which the replay's report lists under "counted by processors": the project's rule is
     * that every record dropped or refused is counted with its reason. Found in review, 2026-12-06: these cancellations
     * reached {@code trades.order.rejected} but no meter (only the kill switch's and HARD_DERISK's tick were counted).
     */
    @Test
    void everyCancellationAtTheFillIsCountedWithItsReason() {
        Account normal = Account.start(RULES).onDay(T, false);
        PendingOrder order = new PendingOrder("o-1", "r-1", "p-1", "BTC-USD", Direction.LONG,
                OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100, 0, DeRiskState.NORMAL);
        assertCountedAs(venue(DeRiskState.NORMAL, true, false), "cancelled: kill switch active",
                "entry_cancelled_kill_switch_active");
        assertCountedAs(venue(DeRiskState.HARD_DERISK, false, false), "cancelled: hard de-risk: no new entries",
                "entry_cancelled_hard_derisk");
        assertCountedAs(venue(DeRiskState.SOFT_DERISK, false, true), "cancelled: soft de-risk: no adds",
                "entry_cancelled_soft_derisk_add");
        assertCountedAs(venue(normal.killed().reset(), order, false, 101),
                "cancelled: the kill switch tripped after the entry was placed (activations 0 -> 1)",
                "entry_cancelled_kill_switch_since_placed");
        assertCountedAs(venue(normal.marked(-6_000), order, false, 101), "cancelled: daily loss 6% reached the 5% limit",
                "entry_cancelled_daily_loss_limit");
        Account inDrawdown = new Account(Account.PAPER, 100_000, 120_000, Math.floorDiv(T, 86_400_000L), 100_000, 0, 0, 0,
                0, 0, false, 0, 0, DeRiskState.NORMAL, 0.0);
        assertCountedAs(venue(inDrawdown, order, false, 101), "cancelled: drawdown 16.67% reached the 10% limit",
                "entry_cancelled_drawdown_limit");
        assertCountedAs(venue(normal, order, false, 89.95),
                "cancelled: the fill price 89.9950 is at or beyond the order's stop 90.0000", "entry_cancelled_fill_at_stop");
        assertCountedAs(venue(normal, order, false, 131),
                "cancelled: the fill price 131.0655 is at or beyond the order's target 130.0000", "entry_cancelled_fill_at_target");
        assertCountedAs(venue(normal.opened(130_000), order, false, 101),
                "cancelled: gross exposure cap 130% reached at the fill (130000.00 USD open, 130000.00 USD allowed)",
                "entry_cancelled_gross_cap");
        PendingOrder tiny = new PendingOrder("o-1", "r-1", "p-1", "BTC-USD", Direction.LONG,
                OrderFilled.Purpose.ENTRY, 0.000001, 90, 130, null, "signal-entry", 100, 0, DeRiskState.NORMAL);
        assertCountedAs(venue(normal, tiny, false, 125), "cancelled: nothing left of size 0.000001 after halving or re-sizing",
                "entry_cancelled_no_size_left");   // a gap to 125: re-sized to 0.29x, rounded to 0
        assertThat(venue(normal, order, false, 101).counted()).as("a fill counts no cancellation")
                .allSatisfy((reason, n) -> assertThat(n).as(reason).isZero());
    }

    /** One cancellation with this reason, counted once under {@code paper-venue|countReason} and under no other reason. */
    private static void assertCountedAs(Outcome o, String reason, String countReason) {
        assertThat(o.fills()).isEmpty();
        assertThat(o.rejected()).extracting(OrderRejected::reason).containsExactly(reason);
        assertThat(o.counted()).as("counted by reason").containsEntry("paper-venue|" + countReason, 1L);
        assertThat(o.counted().values().stream().mapToLong(Long::longValue).sum()).as("counted once").isEqualTo(1L);
    }
}
