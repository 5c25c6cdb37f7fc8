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

    record Outcome(java.util.List<OrderFilled> fills, java.util.List<OrderRejected> rejected) {
    }

    static Outcome venue(DeRiskState state, boolean kill, boolean openPosition) {
        return venue(state, kill, openPosition, 101);
    }

    static Outcome venue(DeRiskState state, boolean kill, boolean openPosition, double tickPrice) {
        TopologyBuilder b = new TopologyBuilder("venue");
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        var out = b.stream("ticks", PriceTick.class)
                .process(() -> new PaperVenueProcessor(PaperVenue.defaults(), RULES), Named.as("paper-venue"), "orders", "account", "positions");
        out.flatMapValues(VenueOutput::fills, Named.as("fills")).to("fills");
        out.flatMapValues(VenueOutput::rejected, Named.as("rejections")).to("rejected");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            Account a = Account.start(RULES).onDay(T, false).withDeRisk(state);
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, kill ? a.killed() : a);
            driver.<String, PendingOrder>getKeyValueStore("orders").put("o-1", new PendingOrder("o-1", "r-1", "p-1", "BTC-USD",
                    Direction.LONG, OrderFilled.Purpose.ENTRY, 2, 90, 130, null, "signal-entry", 100));
            if (openPosition) {
                driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                        new Position("p-0", "BTC-USD", Direction.LONG, 1, 95, 90, 130, 0.1, T - 1, false));
            }
            driver.createInputStream("ticks").pipeInput("BTC-USD", new PriceTick("BTC-USD", tickPrice, 1, T + 1), T + 1);
            return new Outcome(driver.createOutputStream("fills", OrderFilled.class).readValuesToList(),
                    driver.createOutputStream("rejected", OrderRejected.class).readValuesToList());
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
     * An entry never fills at or beyond its own stop: it would be stopped out on the tick that opened it (found in
     * review, 2026-12-05: in the replay an add approved at 809.69 filled at 802.80, below its stop of 803.28, on the
     * tick that stopped the position out). The LONG entry's stop is 90; with 5 bps slippage a tick at 89.96 fills at
     * 90.0050 (above the stop: fills), one at 89.95 at 89.9950 (below: cancelled).
     */
    @Test
    void anEntryIsCancelledWhenItsFillPriceIsAtOrBeyondItsStop() {
        assertThat(venue(DeRiskState.NORMAL, false, false, 89.96).fills()).extracting(OrderFilled::price).containsExactly(90.005);
        Outcome beyond = venue(DeRiskState.NORMAL, false, false, 89.95);
        assertThat(beyond.fills()).isEmpty();
        assertThat(beyond.rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: the fill price 89.9950 is at or beyond the order's stop 90.0000");
    }
}
