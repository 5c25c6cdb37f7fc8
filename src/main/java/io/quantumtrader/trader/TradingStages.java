package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.topology.Processor;
import io.quantumtrader.streams.topology.ProcessorContext;
import io.quantumtrader.trader.events.DailyStatus;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.exit.ExitBrain;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.regime.MarketState;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskKernel;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trading stages as DSL processors: each adapts one piece of plain-Java logic (advisory, risk kernel, sizer,
 * venue, position book, exit brain) to its state stores. The stores are shared ({@code account}, {@code positions},
 * {@code orders}), so the engine runs the sub-topology record by record and each stage sees the others' writes in
 * tick order.
 */
final class TradingStages {

    private TradingStages() {
    }

    /** {@code system.alert.triggered} payload. */
    record Alert(String severity, String service, String message, long timestamp) {
    }

    static Account account(KeyValueStore<String, Account> store, RiskRules rules) {
        Account a = store.get(Account.PAPER);
        return a == null ? Account.start(rules) : a;
    }

    /** Signal advisory; declines with gate {@code kill_switch_active} while the kill switch is on. */
    static final class Advisory implements Processor<String, MarketState, String, Advice> {
        private final SignalAdvisory advisory = new SignalAdvisory();
        private final RiskRules rules;
        private ProcessorContext<String, Advice> ctx;
        private KeyValueStore<String, Account> accounts;

        Advisory(RiskRules rules) {
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, Advice> c) {
            ctx = c;
            accounts = c.getStateStore("account");
        }

        @Override
        public void process(Record<String, MarketState> r) {
            Advice advice = account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily()).killSwitch()
                    ? new Advice(null, new NoSignal(r.key(), r.value().candle().windowEnd(), "kill_switch_active",
                    "the kill switch is on: no signals until a human reset", SignalAdvisory.MODEL_VERSION))
                    : advisory.advise(r.value());
            ctx.forward(r.withValue(advice));
        }
    }

    /** Risk kernel over the account and open positions. */
    static final class Risk implements Processor<String, Signal, String, RiskEvaluation> {
        private final RiskRules rules;
        private final RiskKernel kernel;
        private ProcessorContext<String, RiskEvaluation> ctx;
        private KeyValueStore<String, Account> accounts;
        private KeyValueStore<String, Position> positions;

        Risk(RiskRules rules) {
            this.rules = rules;
            this.kernel = new RiskKernel(rules);
        }

        @Override
        public void init(ProcessorContext<String, RiskEvaluation> c) {
            ctx = c;
            accounts = c.getStateStore("account");
            positions = c.getStateStore("positions");
        }

        @Override
        public void process(Record<String, Signal> r) {
            Account a = account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily());
            ctx.forward(r.withValue(kernel.evaluate(r.value(), a, positions.get(r.key()) != null, r.timestamp())));
        }
    }

    /** Places sized requests as pending entry orders (refused while the kill switch is on). */
    static final class OrderEntry implements Processor<String, TradeRequest, String, PendingOrder> {
        private final RiskRules rules;
        private ProcessorContext<String, PendingOrder> ctx;
        private KeyValueStore<String, PendingOrder> orders;
        private KeyValueStore<String, Account> accounts;

        OrderEntry(RiskRules rules) {
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, PendingOrder> c) {
            ctx = c;
            orders = c.getStateStore("orders");
            accounts = c.getStateStore("account");
        }

        @Override
        public void process(Record<String, TradeRequest> r) {
            if (account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily()).killSwitch()) {
                return;
            }
            TradeRequest t = r.value();
            PendingOrder o = new PendingOrder("ord-" + t.requestId(), t.requestId(), "pos-" + t.signalId(), t.symbol(),
                    t.direction(), OrderFilled.Purpose.ENTRY, t.size(), t.stopLoss(), t.takeProfit(), null,
                    r.origin() == null ? "" : r.origin().entryId());
            orders.put(o.orderId(), o);
            ctx.forward(r.withValue(o));
        }
    }

    /** Paper venue: fills the symbol's pending orders placed on earlier ticks; cancels entries under the kill switch. */
    static final class Venue implements Processor<String, PriceTick, String, VenueOutput> {
        private final PaperVenue venue;
        private final RiskRules rules;
        private ProcessorContext<String, VenueOutput> ctx;
        private KeyValueStore<String, PendingOrder> orders;
        private KeyValueStore<String, Account> accounts;

        Venue(PaperVenue venue, RiskRules rules) {
            this.venue = venue;
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, VenueOutput> c) {
            ctx = c;
            orders = c.getStateStore("orders");
            accounts = c.getStateStore("account");
        }

        @Override
        public void process(Record<String, PriceTick> r) {
            String entry = r.origin() == null ? "" : r.origin().entryId();
            boolean kill = account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily()).killSwitch();
            List<OrderFilled> fills = new ArrayList<>();
            List<io.quantumtrader.trader.events.OrderRejected> rejected = new ArrayList<>();
            for (PendingOrder o : new TreeMap<>(orders.all()).values()) {
                if (!o.symbol().equals(r.key()) || o.placedBy().equals(entry)) {
                    continue;
                }
                orders.delete(o.orderId());
                if (kill && o.purpose() == OrderFilled.Purpose.ENTRY) {
                    rejected.add(new io.quantumtrader.trader.events.OrderRejected(o.orderId(), o.requestId(), o.symbol(),
                            o.direction(), o.size(), "cancelled: kill switch active", r.timestamp()));
                    continue;
                }
                fills.add(venue.fill(o, r.value()));
            }
            ctx.forward(r.withValue(new VenueOutput(r.value(), fills, rejected)));
        }
    }

    /** Position state: opens and closes positions from fills, books realized P&amp;L per UTC day, trips the kill switch. */
    static final class PositionState implements Processor<String, VenueOutput, String, PositionOutput> {
        private final RiskRules rules;
        private ProcessorContext<String, PositionOutput> ctx;
        private KeyValueStore<String, Position> positions;
        private KeyValueStore<String, Account> accounts;

        PositionState(RiskRules rules) {
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, PositionOutput> c) {
            ctx = c;
            positions = c.getStateStore("positions");
            accounts = c.getStateStore("account");
        }

        @Override
        public void process(Record<String, VenueOutput> r) {
            Account a = account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily());
            List<PositionOpened> opened = new ArrayList<>();
            List<PositionClosed> closed = new ArrayList<>();
            List<DailyStatus> daily = new ArrayList<>();
            KillSwitch kill = null;
            for (OrderFilled f : r.value().fills()) {
                if (f.purpose() == OrderFilled.Purpose.ENTRY) {
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
                    positions.delete(f.symbol());
                    double fees = p.entryFeeUsd() + f.feeUsd();
                    double pnl = Math.round((p.unrealized(f.price()) - fees) * 100) / 100.0;
                    a = a.closed(p.entryPrice() * p.size(), pnl);
                    closed.add(new PositionClosed(p.positionId(), a.name(), p.symbol(), p.direction(), p.size(), p.entryPrice(),
                            f.price(), pnl, Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt(),
                            f.exitReason(), p.openedAt(), f.filledAt()));
                    boolean breached = a.dailyLossPct() >= rules.dailyLossLimitPct();
                    daily.add(new DailyStatus(a.name(), Instant.ofEpochMilli(r.timestamp()).atZone(ZoneOffset.UTC).toLocalDate().toString(),
                            Math.round(a.dailyRealizedUsd() * 100) / 100.0, a.dailyTrades(), a.dailyWins(),
                            Math.round(a.equityUsd() * 100) / 100.0, Math.round(a.dailyLossPct() * 1000) / 1000.0,
                            rules.dailyLossLimitPct(), breached));
                    if (breached && !a.killSwitch()) {
                        a = a.killed();
                        kill = new KillSwitch(a.name(), true, String.format("daily loss %.2f%% >= %.1f%% limit",
                                a.dailyLossPct(), rules.dailyLossLimitPct()), a.dailyLossPct(), r.timestamp());
                    }
                }
            }
            accounts.put(Account.PAPER, a);
            List<io.quantumtrader.trader.events.PositionUpdate> updates = new ArrayList<>();
            Position open = positions.get(r.key());
            if (open != null) {
                double mark = r.value().tick().price();
                updates.add(new io.quantumtrader.trader.events.PositionUpdate(open.positionId(), open.symbol(), open.direction(),
                        open.size(), open.entryPrice(), mark, Math.round(open.unrealized(mark) * 100) / 100.0, r.timestamp()));
            }
            ctx.forward(r.withValue(new PositionOutput(r.value().tick(), opened, closed, updates, daily, kill)));
        }
    }

    /**
     * Applies the operator's reset, read from {@code risk.kill_switch.activated} ({@code active=false}). Activations on
     * that stream are the topology's own, read back: they change nothing (the flag was set when they were made, and
     * re-applying one that arrives after a daily reset would depend on timing).
     */
    static final class KillSwitchCommands implements Processor<String, KillSwitch, String, KillSwitch> {
        private final RiskRules rules;
        private ProcessorContext<String, KillSwitch> ctx;
        private KeyValueStore<String, Account> accounts;

        KillSwitchCommands(RiskRules rules) {
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, KillSwitch> c) {
            ctx = c;
            accounts = c.getStateStore("account");
        }

        @Override
        public void process(Record<String, KillSwitch> r) {
            Account a = account(accounts, rules);
            if (!r.value().active() && a.killSwitch()) {
                accounts.put(Account.PAPER, a.reset());
                ctx.forward(r);
            }
        }
    }

    /** Exit brain: checks the symbol's open position on every tick; an exit order fills on the next tick. */
    static final class Exits implements Processor<String, PositionOutput, String, ExitDecision> {
        private final ExitBrain brain;
        private final RiskRules rules;
        private ProcessorContext<String, ExitDecision> ctx;
        private KeyValueStore<String, Position> positions;
        private KeyValueStore<String, PendingOrder> orders;
        private KeyValueStore<String, Account> accounts;
        private KeyValueStore<String, io.quantumtrader.trader.events.RegimeUpdate> regimes;

        Exits(ExitBrain brain, RiskRules rules) {
            this.brain = brain;
            this.rules = rules;
        }

        @Override
        public void init(ProcessorContext<String, ExitDecision> c) {
            ctx = c;
            positions = c.getStateStore("positions");
            orders = c.getStateStore("orders");
            accounts = c.getStateStore("account");
            regimes = c.getStateStore("regimes");
        }

        @Override
        public void process(Record<String, PositionOutput> r) {
            boolean kill = account(accounts, rules).onDay(r.timestamp(), rules.killSwitchResetsDaily()).killSwitch();
            Position p = positions.get(r.key());   // one position per symbol; each exits on its own symbol's ticks
            if (p != null) {
                brain.check(p, r.value().tick(), kill, regimes.get(r.key())).ifPresent(d -> {
                    positions.put(p.symbol(), p.closingNow());
                    PendingOrder exit = new PendingOrder("exit-" + p.positionId(), null, p.positionId(), p.symbol(),
                            p.direction(), OrderFilled.Purpose.EXIT, p.size(), 0, 0, d.reason().name(),
                            r.origin() == null ? "" : r.origin().entryId());
                    orders.put(exit.orderId(), exit);
                    ctx.forward(r.with(p.symbol(), d));
                });
            }
        }
    }
}
