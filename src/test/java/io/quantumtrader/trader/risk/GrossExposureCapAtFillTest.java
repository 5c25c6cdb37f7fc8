package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.sizing.PositionSizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gross exposure cap (130 % of realized equity, entry notional; seed quant_engine rule) holds at the fill, not only
 * at the kernel's approval at the signal's price ({@link EntryAtFill}, rule 7). Found in review 2 (2026-12-06): a
 * SHORT whose fill comes nearer its stop (a higher price) was not re-sized (the gap re-size acts only when the loss at
 * the stop grows), so an approval the cap bound booked fill price x size above the cap: 120,000 USD open elsewhere
 * (room 10,000), SHORT at 100 stop 105 capped to 100 units, filled at 104.4478: gross 130,444.78 &gt; 130,000.
 */
class GrossExposureCapAtFillTest {

    static final RiskRules RULES = RiskRules.defaults();   // 1 % per trade, 130 % gross cap
    static final long T = 1_700_000_000_000L;

    @Test
    void aCapBoundShortFillingNearerItsStopIsReSizedToTheCap() {
        PaperVenue venue = PaperVenue.defaults();
        RiskKernel kernel = new RiskKernel(RULES, venue.feeBps() + venue.slippageBps());
        Account a = Account.start(RULES).onDay(T, false).opened(120_000);   // another symbol: 120,000 USD; room 10,000
        Signal s = new Signal("S-1", "ETH-USD", T, Direction.SHORT, 80, 100, 105, 85, "t", "m", "NONE", Regime.TRENDING);
        RiskEvaluation e = kernel.evaluate(s, a, Exposure.none(), T);
        assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.MODIFIED);   // the cap bound: 100 units
        assertThat(e.positionAllowed().maxSize()).isEqualTo(100);
        TradeRequest req = new PositionSizer().size(e, T).orElseThrow();
        PendingOrder o = new PendingOrder("ord-1", req.requestId(), "pos-1", "ETH-USD", Direction.SHORT, OrderFilled.Purpose.ENTRY,
                req.size(), req.stopLoss(), req.takeProfit(), null, "e", req.entryPrice(), a.killSwitches(), a.deRisk());
        // the next print is 104.5 (still below the stop 105): the venue sells at 104.4478
        OrderFilled fill = venue.fill(o, new PriceTick("ETH-USD", 104.5, 1, T + 1));
        EntryAtFill.Verdict v = EntryAtFill.judge(o, fill.price(), a, false, RULES, venue.slippageBps(), venue.feeBps());
        assertThat(v.cancelled()).isNull();
        assertThat(v.capped()).as("re-sized to the cap, the reason the venue counts").isTrue();
        assertThat(v.resized()).as("not a gap: the loss at the stop shrank").isFalse();
        Account after = a.opened(fill.price() * v.size());   // as position state books it
        assertThat(after.grossExposureUsd()).as("gross exposure after the fill, USD (cap 130,000)")
                .isLessThanOrEqualTo(after.equityUsd() * RULES.grossExposureCapPct() / 100)
                .isGreaterThan(after.equityUsd() * RULES.grossExposureCapPct() / 100 - 0.01);   // down to the cap, not below
    }

    /** A LONG sized to the cap that fills a little higher (within the gap tolerance) is capped the same way. */
    @Test
    void aCapBoundLongFillingALittleHigherIsReSizedToTheCap() {
        Account a = Account.start(RULES).onDay(T, false).opened(120_000);
        PendingOrder o = new PendingOrder("o", "r", "p", "X", Direction.LONG, OrderFilled.Purpose.ENTRY, 100, 95, 115, null,
                "e", 100, 0, DeRiskState.NORMAL);
        EntryAtFill.Verdict v = EntryAtFill.judge(o, 100.5, a, false, RULES, 5, 10);
        assertThat(v.resized()).isFalse();
        assertThat(v.capped()).isTrue();
        assertThat(v.size()).isEqualTo(RiskKernel.round6(10_000 / 100.5));
    }

    /** Within the room nothing changes; with no room left at the fill the entry is cancelled, the reason naming the cap. */
    @Test
    void withinTheRoomNothingChangesAndWithNoRoomTheEntryIsCancelled() {
        PendingOrder o = new PendingOrder("o", "r", "p", "X", Direction.SHORT, OrderFilled.Purpose.ENTRY, 100, 105, 85, null,
                "e", 100, 0, DeRiskState.NORMAL);
        Account roomy = Account.start(RULES).onDay(T, false).opened(100_000);   // room 30,000
        assertThat(EntryAtFill.judge(o, 104.4478, roomy, false, RULES, 5, 10))
                .isEqualTo(new EntryAtFill.Verdict(null, 100, false, false, false));
        Account full = Account.start(RULES).onDay(T, false).opened(130_000);   // another entry filled since the approval
        assertThat(EntryAtFill.judge(o, 100, full, false, RULES, 5, 10).cancelled())
                .isEqualTo("cancelled: gross exposure cap 130% reached at the fill (130000.00 USD open, 130000.00 USD allowed)");
    }
}
