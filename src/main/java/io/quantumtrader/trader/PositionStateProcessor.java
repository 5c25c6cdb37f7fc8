package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.position.Booking;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.risk.DeRisk;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.events.DeRiskUpdate;

import java.util.ArrayList;
import java.util.List;

/**
 * Position state: opens positions from entry fills (an entry on a symbol with an open position adds to it), closes
 * them from exit fills (an exit fill smaller than the position — HARD_DERISK's reduction to the cap — closes that part:
 * a {@code position.closed} of the part, {@code partial}, its share of the entry fees, the rest stays open; the
 * position's last close carries its realized P&amp;L over all its parts), books realized P&amp;L in the account, marks the open position of the tick's own symbol
 * ({@code tick().symbol()}, not the record key: a tick keyed by another symbol marks no other position) at the tick's
 * price and the account at its open positions' marks ({@link Account#marked}), then, on every tick, trips the kill
 * switch when the day's loss of marked equity reached the daily loss limit and moves the de-risk state
 * ({@link DeRisk}, on the drawdown of marked equity from the peak of realized equity, with hysteresis, and the symbols
 * in a volatility spike: {@link RegimeStore#chaoticSymbols}).
 *
 * <p>When it trips the kill switch it cancels every pending entry order at once, of every symbol (DESIGN §6: "kill
 * switch → execution cancels pending orders"; {@link PositionOutput#cancelled}, {@code trades.order.rejected}, audited
 * {@code ORDER_CANCELLED}): until 2026-12-06 an entry was cancelled only at its symbol's next print, by the venue
 * ({@link io.quantumtrader.trader.risk.EntryAtFill}), and meanwhile it still counted toward the exposure and the open
 * positions, and held its symbol ("an entry order in X is pending"), also after an operator's reset. It cancels them
 * the same way when the account enters HARD_DERISK (DESIGN §7: HARD_DERISK allows no new entries, and pending orders
 * count toward exposure; {@code cancelled: the account entered HARD_DERISK (<the change's reason>)}, at the tick's
 * time): until 2026-12-06 the venue cancelled such an entry only at its symbol's next print. Pending exit orders stay:
 * they close positions. Each cancellation is counted ({@code qt.streams.node.records.counted{node="position-state"}}):
 * {@value #KILL_SWITCH_TRIP} for the kill switch's trip, {@value #HARD_DERISK_ENTRY} for the entry into HARD_DERISK, the
 * reasons the paper venue counts for the entries it cancels on such a tick (until 2026-12-06 they were uncounted:
 * found in review).
 */
final class PositionStateProcessor implements Processor<String, VenueOutput, String, PositionOutput> {
    private final RiskRules rules;
    private ProcessorContext<String, PositionOutput> ctx;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, io.quantumtrader.trader.events.RegimeUpdate> regimes;
    private KeyValueStore<String, io.quantumtrader.trader.execution.PendingOrder> orders;
    private Booking.Positions stored;

    /** How long a CHAOTIC regime counts as a volatility spike, ms ({@link RegimeStore#spikeWindowMs}). */
    private final long spikeWindowMs;

    /** With 1-minute candles (the topology's default). */
    PositionStateProcessor(RiskRules rules) {
        this(rules, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /** @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them) */
    PositionStateProcessor(RiskRules rules, java.time.Duration candleSize) {
        this.rules = rules;
        this.spikeWindowMs = RegimeStore.spikeWindowMs(rules, candleSize);
    }

    @Override
    public void init(ProcessorContext<String, PositionOutput> c) {
        ctx = c;
        positions = c.getStateStore("positions");
        accounts = c.getStateStore("account");
        regimes = c.getStateStore("regimes");
        orders = c.getStateStore("orders");
        stored = storeBacked(positions);
        c.declareCounts(java.util.Set.of(KILL_SWITCH_TRIP, HARD_DERISK_ENTRY));
    }

    /** The count's reason for a pending entry cancelled because the kill switch tripped on this tick. */
    static final String KILL_SWITCH_TRIP = PaperVenueProcessor.KILL_SWITCH_TICK;
    /** The count's reason for a pending entry cancelled because the account entered HARD_DERISK on this tick. */
    static final String HARD_DERISK_ENTRY = PaperVenueProcessor.HARD_DERISK_TICK;

    /** The {@code positions} store as {@link Booking} books into it. */
    static Booking.Positions storeBacked(KeyValueStore<String, Position> store) {
        return Booking.of(store::get, store::put, store::delete, () -> store.all().values());
    }

    @Override
    public void process(Record<String, VenueOutput> r) {
        Account before = AccountStore.current(accounts, rules);
        Account a = before.onDay(r.timestamp(), rules.killSwitchResetsDaily());
        // the kill switch cleared by the new UTC day (kill-switch-resets-daily): a decision that lets trading resume,
        // audited (found in review, 2026-12-07: the audit log went from KILL_SWITCH to the next day's fills); only this
        // stage stores the account on a new day, so the change is seen here once
        KillSwitch dailyReset = before.killSwitch() && !a.killSwitch()
                ? new KillSwitch(a.name(), false, "daily reset: a new UTC day began with no open position "
                        + "(kill-switch-resets-daily)", 0, r.timestamp())
                : null;
        KillSwitch kill = null;
        List<OrderRejected> cancelled = new ArrayList<>();
        // the fills booked and the tick's symbol marked (Booking: the paper venue runs the same on a copy to refuse an
        // entry on the tick that trips the kill switch)
        Booking.Result booked = Booking.book(a, stored, r.value().fills(), r.value().tick());
        a = booked.account();
        List<PositionOpened> opened = booked.opened();
        List<PositionClosed> closed = booked.closed();
        double mark = r.value().tick().price();
        if (a.dailyLossPct() >= rules.dailyLossLimitPct() && !a.killSwitch()) {
            a = a.killed();
            kill = new KillSwitch(a.name(), true, "daily loss "
                    + io.quantumtrader.trader.risk.PercentFigure.of(a.dailyLossPct()) + "% of marked equity >= "
                    + io.quantumtrader.trader.risk.PercentFigure.of(rules.dailyLossLimitPct()) + "% limit", a.dailyLossPct(), r.timestamp());
            cancelled = cancelPendingEntries("the kill switch tripped (" + kill.reason() + ")", kill.activatedAt(), KILL_SWITCH_TRIP);
        }
        int chaotic = RegimeStore.chaoticSymbols(regimes, r.timestamp(), spikeWindowMs);
        DeRiskState state = DeRisk.of(rules, a.deRisk(), a.drawdownPct(), chaotic);
        DeRiskUpdate deRisk = null;
        if (state != a.deRisk()) {
            deRisk = new DeRiskUpdate(a.name(), state.name(), a.deRisk().name(), Math.round(a.drawdownPct() * 1000) / 1000.0,
                    chaotic, DeRisk.reason(rules, a.deRisk(), state, a.drawdownPct(), chaotic), r.timestamp());
            a = a.withDeRisk(state);
            if (state == DeRiskState.HARD_DERISK) {   // no new entries: the pending ones too (after the kill switch's, if both)
                cancelled.addAll(cancelPendingEntries("the account entered HARD_DERISK (" + deRisk.reason() + ")", r.timestamp(),
                        HARD_DERISK_ENTRY));
            }
        }
        accounts.put(Account.PAPER, a);
        List<io.quantumtrader.trader.events.PositionUpdate> updates = new ArrayList<>();
        Position open = positions.get(r.key());
        if (open != null) {
            updates.add(new io.quantumtrader.trader.events.PositionUpdate(open.positionId(), open.symbol(), open.direction(),
                    open.size(), open.entryPrice(), mark, Math.round(open.unrealized(mark) * 100) / 100.0, r.timestamp()));
        }
        // stamped on the account's booking day: a feed's late print from before midnight, booked after the account moved
        // to the new day (an exit filled on it), went to yesterday's daily P&L window with the equity of today's
        // bookings, while the account's daily loss (the kill switch's) counted it today (found in review, 2026-12-07);
        // never later than the task's stream time, which reached that day
        long bookedAt = Math.max(r.timestamp(), a.dayStartMs());
        ctx.forward(r.withTimestamp(bookedAt).withValue(new PositionOutput(r.value().tick(), opened, closed, updates, kill,
                deRisk, open, cancelled, dailyReset)));
    }

    /**
     * Deletes every pending entry order (in order id order, as the venue reads them), whatever its symbol.
     *
     * @param why  what cancels them (the kill switch's trip, the account's entry into HARD_DERISK), in words
     * @param atMs when, epoch ms (the tick's event time)
     * @param countReason the reason each cancellation is counted under ({@value #KILL_SWITCH_TRIP},
     *                    {@value #HARD_DERISK_ENTRY})
     * @return their cancellations, {@code cancelled: <why>}
     */
    private List<OrderRejected> cancelPendingEntries(String why, long atMs, String countReason) {
        List<OrderRejected> out = new ArrayList<>();
        for (io.quantumtrader.trader.execution.PendingOrder o : new java.util.TreeMap<>(orders.all()).values()) {
            if (o.purpose() == OrderFilled.Purpose.ENTRY) {
                orders.delete(o.orderId());
                out.add(o.cancellation("cancelled: " + why, atMs));
                ctx.count(countReason);
            }
        }
        return out;
    }
}
