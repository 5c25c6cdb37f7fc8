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
 * they close positions.
 */
final class PositionStateProcessor implements Processor<String, VenueOutput, String, PositionOutput> {
    private final RiskRules rules;
    private ProcessorContext<String, PositionOutput> ctx;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, io.quantumtrader.trader.events.RegimeUpdate> regimes;
    private KeyValueStore<String, io.quantumtrader.trader.execution.PendingOrder> orders;

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
    }

    @Override
    public void process(Record<String, VenueOutput> r) {
        Account a = AccountStore.today(accounts, rules, r.timestamp());
        List<PositionOpened> opened = new ArrayList<>();
        List<PositionClosed> closed = new ArrayList<>();
        KillSwitch kill = null;
        List<OrderRejected> cancelled = new ArrayList<>();
        for (OrderFilled f : r.value().fills()) {
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                Position held = positions.get(f.symbol());
                if (held != null) {   // an add (the risk kernel approved it in the same direction): merged, never replaced
                    positions.put(f.symbol(), held.add(f.size(), f.price(), f.feeUsd()));
                    a = a.added(f.price() * f.size());
                    continue;
                }
                Position p = new Position(f.positionId(), f.symbol(), f.direction(), f.size(), f.price(),
                        f.stopLoss(), f.takeProfit(), f.feeUsd(), f.filledAt(), false);
                positions.put(f.symbol(), p);
                a = a.opened(f.price() * f.size());
                opened.add(new PositionOpened(p.positionId(), p.symbol(), p.direction(), p.size(), p.entryPrice(),
                        p.stopLoss(), p.takeProfit(), p.entryFeeUsd(), p.openedAt()));
            } else {
                Position p = positions.get(f.symbol());
                if (p == null) {
                    continue;
                }
                if (f.size() < p.size() - io.quantumtrader.trader.risk.CapReduction.SIZE_STEP / 2) {   // a partial close
                    double fraction = f.size() / p.size();
                    double entryFee = p.entryFeeUsd() * fraction;
                    double fees = entryFee + f.feeUsd();
                    double sign = p.direction() == io.quantumtrader.trader.events.Direction.LONG ? 1 : -1;
                    double pnl = Math.round(((f.price() - p.entryPrice()) * f.size() * sign - fees) * 100) / 100.0;
                    Position rest = p.reduced(f.size(), entryFee, pnl);
                    positions.put(f.symbol(), rest);
                    a = a.reduced(p.entryPrice() * f.size(), pnl, p.markedUsd() * fraction);
                    closed.add(new PositionClosed(p.positionId(), a.name(), p.symbol(), p.direction(), f.size(), p.entryPrice(),
                            f.price(), pnl, Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt(),
                            f.exitReason(), p.openedAt(), f.filledAt(), a.equityUsd(), true, rest.size(),
                            Math.round(rest.realizedUsd() * 100) / 100.0));
                    continue;
                }
                positions.delete(f.symbol());
                double fees = p.entryFeeUsd() + f.feeUsd();
                double pnl = Math.round((p.unrealized(f.price()) - fees) * 100) / 100.0;
                a = a.closed(p.entryPrice() * p.size(), pnl, p.markedUsd(), p.realizedUsd() + pnl);
                closed.add(new PositionClosed(p.positionId(), a.name(), p.symbol(), p.direction(), p.size(), p.entryPrice(),
                        f.price(), pnl, Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt(),
                        f.exitReason(), p.openedAt(), f.filledAt(), a.equityUsd(), false, 0.0,
                        Math.round((p.realizedUsd() + pnl) * 100) / 100.0));
            }
        }
        double mark = r.value().tick().price();
        String symbol = r.value().tick().symbol();   // the tick's own symbol, not the record key (found in review, 2026-12-06)
        Position ticked = symbol == null ? null : positions.get(symbol);
        if (ticked != null && ticked.markPrice() != mark) {
            positions.put(symbol, ticked.markedAt(mark));
        }
        double unrealized = 0;
        for (Position p : positions.all().values()) {
            unrealized += p.markedUsd();
        }
        a = a.marked(unrealized);
        if (a.dailyLossPct() >= rules.dailyLossLimitPct() && !a.killSwitch()) {
            a = a.killed();
            kill = new KillSwitch(a.name(), true, "daily loss "
                    + io.quantumtrader.trader.risk.PercentFigure.of(a.dailyLossPct()) + "% of marked equity >= "
                    + io.quantumtrader.trader.risk.PercentFigure.of(rules.dailyLossLimitPct()) + "% limit", a.dailyLossPct(), r.timestamp());
            cancelled = cancelPendingEntries("the kill switch tripped (" + kill.reason() + ")", kill.activatedAt());
        }
        int chaotic = RegimeStore.chaoticSymbols(regimes, r.timestamp(), spikeWindowMs);
        DeRiskState state = DeRisk.of(rules, a.deRisk(), a.drawdownPct(), chaotic);
        DeRiskUpdate deRisk = null;
        if (state != a.deRisk()) {
            deRisk = new DeRiskUpdate(a.name(), state.name(), a.deRisk().name(), Math.round(a.drawdownPct() * 1000) / 1000.0,
                    chaotic, DeRisk.reason(rules, a.deRisk(), state, a.drawdownPct(), chaotic), r.timestamp());
            a = a.withDeRisk(state);
            if (state == DeRiskState.HARD_DERISK) {   // no new entries: the pending ones too (after the kill switch's, if both)
                cancelled.addAll(cancelPendingEntries("the account entered HARD_DERISK (" + deRisk.reason() + ")", r.timestamp()));
            }
        }
        accounts.put(Account.PAPER, a);
        List<io.quantumtrader.trader.events.PositionUpdate> updates = new ArrayList<>();
        Position open = positions.get(r.key());
        if (open != null) {
            updates.add(new io.quantumtrader.trader.events.PositionUpdate(open.positionId(), open.symbol(), open.direction(),
                    open.size(), open.entryPrice(), mark, Math.round(open.unrealized(mark) * 100) / 100.0, r.timestamp()));
        }
        ctx.forward(r.withValue(new PositionOutput(r.value().tick(), opened, closed, updates, kill, deRisk, open, cancelled)));
    }

    /**
     * Deletes every pending entry order (in order id order, as the venue reads them), whatever its symbol.
     *
     * @param why  what cancels them (the kill switch's trip, the account's entry into HARD_DERISK), in words
     * @param atMs when, epoch ms (the tick's event time)
     * @return their cancellations, {@code cancelled: <why>}
     */
    private List<OrderRejected> cancelPendingEntries(String why, long atMs) {
        List<OrderRejected> out = new ArrayList<>();
        for (io.quantumtrader.trader.execution.PendingOrder o : new java.util.TreeMap<>(orders.all()).values()) {
            if (o.purpose() == OrderFilled.Purpose.ENTRY) {
                orders.delete(o.orderId());
                out.add(o.cancellation("cancelled: " + why, atMs));
            }
        }
        return out;
    }
}
