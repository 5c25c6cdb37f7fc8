package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.exit.ExitBrain;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.CapReduction;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * Exit brain: checks the symbol's open position, joined to each of its ticks from the {@code open-positions} table
 * ({@link ExitBrain}); in HARD_DERISK with the gross exposure above the cap it also reduces the position — partially,
 * the first position to tick first, so that the exposure comes down to the cap ({@link CapReduction}, {@code DERISK_REDUCE});
 * an exit order fills on the next tick, a
 * take profit only at or beyond its target (an immediate-or-cancel limit order, {@code PaperVenue.limitNotReached}).
 */
final class ExitBrainProcessor implements Processor<String, io.quantumtrader.trader.position.OpenPosition.AtTick, String, ExitDecision> {
    private final ExitBrain brain;
    private final RiskRules rules;
    private ProcessorContext<String, ExitDecision> ctx;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, PendingOrder> orders;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, io.quantumtrader.trader.events.RegimeUpdate> regimes;

    private final io.quantumtrader.trader.execution.PaperVenue venue;

    /** With the paper venue's default costs ({@link io.quantumtrader.trader.execution.PaperVenue#defaults()}). */
    ExitBrainProcessor(ExitBrain brain, RiskRules rules) {
        this(brain, rules, io.quantumtrader.trader.execution.PaperVenue.defaults());
    }

    /** @param venue the venue's slippage and fee: a HARD_DERISK reduction is sized with the loss it will realize */
    ExitBrainProcessor(ExitBrain brain, RiskRules rules, io.quantumtrader.trader.execution.PaperVenue venue) {
        this.brain = brain;
        this.rules = rules;
        this.venue = venue;
    }

    @Override
    public void init(ProcessorContext<String, ExitDecision> c) {
        ctx = c;
        positions = c.getStateStore("positions");
        orders = c.getStateStore("orders");
        accounts = c.getStateStore("account");
        regimes = c.getStateStore("regimes");
    }

    /**
     * @return the size of {@code p} to close to bring the account down to the gross exposure cap (DESIGN §7 "reduce to
     *         the cap"), 0 for none: the account is in HARD_DERISK, the entry notional of its positions less what pending
     *         exit orders close exceeds the cap, and as much of that excess as {@code p} holds, counting the loss the
     *         reduction realizes at {@code price} (USD, the tick's) and the loss the pending exits realize at their
     *         positions' marks (a take profit at its limit: {@link CapReduction#pendingExitLossPerUnitUsd}), which lower
     *         the cap: the first position to tick is reduced first ({@link CapReduction};
     *         until 2026-12-06 the pending exits' losses were not counted, and a reduction decided while another was
     *         pending left the book over the cap after both fills, then reduced again:
     *         {@code HardDeriskReductionTest.aReductionCountsTheLossOfTheReductionsPendingSoBothFillsLeaveTheBookAtTheCap})
     */
    private double overCap(Account account, Position p, double price) {
        if (p.closing() || account.deRisk() != io.quantumtrader.trader.risk.DeRiskState.HARD_DERISK) {
            return 0;
        }
        java.util.Map<String, Position> open = positions.all();
        double closing = 0;
        int fills = 1;   // this reduction's and the pending exits': the booking rounds each one's P&L
        double closingLoss = 0;   // what the pending exits will realize, estimated at their positions' marks: a loss
        for (PendingOrder o : orders.all().values()) {   // lowers the cap too (a chain of reductions otherwise)
            Position q = open.get(o.symbol());
            if (o.purpose() == OrderFilled.Purpose.EXIT && q != null) {
                double units = Math.min(o.size(), q.size());
                closing += q.entryPrice() * units;
                fills++;
                // a take profit (a limit order) at its limit, the least it gains; a market exit at the mark
                closingLoss += units * CapReduction.pendingExitLossPerUnitUsd(q.direction() == io.quantumtrader.trader.events.Direction.LONG,
                        q.entryPrice(), q.entryFeeUsd(), q.size(), q.markPrice(),
                        "TAKE_PROFIT".equals(o.reason()) ? o.takeProfit() : 0, venue.slippageBps(), venue.feeBps());
            }
        }
        if (!io.quantumtrader.trader.risk.DeRisk.mustReduce(rules, account, closing, closingLoss)) {
            return 0;
        }
        double excess = account.grossExposureUsd() - closing
                - (account.equityUsd() - closingLoss) * rules.grossExposureCapPct() / 100;
        double lossPerUnit = CapReduction.lossPerUnitUsd(p.direction() == io.quantumtrader.trader.events.Direction.LONG,
                p.entryPrice(), p.entryFeeUsd(), p.size(), price, venue.slippageBps(), venue.feeBps());
        return CapReduction.closeSize(CapReduction.closeUsd(excess, CapReduction.bookingRoundingUsd(rules.grossExposureCapPct(), fills),
                p.entryPrice() * p.size(), p.entryPrice(), rules.grossExposureCapPct(), lossPerUnit), p.entryPrice(), p.size());
    }

    @Override
    public void process(Record<String, io.quantumtrader.trader.position.OpenPosition.AtTick> r) {
        Account account = AccountStore.today(accounts, rules, r.timestamp());
        boolean kill = account.killSwitch();
        Position p = r.value().position();   // from the ticks x open-positions join: the symbol's position, or null
        if (p != null) {
            java.util.Optional<ExitDecision> decision = brain.check(p, r.value().tick(), kill, regimes.get(r.key()));
            double reduce = decision.isPresent() ? 0 : overCap(account, p, r.value().tick().price());
            if (reduce > 0) {
                decision = java.util.Optional.of(new ExitDecision(p.positionId(), p.symbol(),
                        io.quantumtrader.trader.events.ExitReason.DERISK_REDUCE, r.value().tick().price(), r.value().tick().timestamp(),
                        reduce));
            }
            double size = reduce > 0 ? reduce : p.size();   // HARD_DERISK's share of the position, or all of it
            decision.ifPresent(d -> {
                positions.put(p.symbol(), p.closingNow());
                // a partial reduction's order (and fill) is named by its tick and the size it reduces: a position may
                // be reduced more than once, then closed, and each exit order keeps an id of its own (found in review,
                // 2026-12-06); two reductions decided on ticks of one millisecond (the first filled by the second
                // tick, whose loss lowers the cap again) shared an id when named by the tick alone
                String orderId = size < p.size() ? "exit-" + p.positionId() + "@" + r.value().tick().timestamp() + "/" + p.size()
                        : "exit-" + p.positionId();
                PendingOrder exit = new PendingOrder(orderId, null, p.positionId(), p.symbol(),
                        p.direction(), OrderFilled.Purpose.EXIT, size, 0,
                        // a take profit is a limit order at the target (PaperVenue.limitNotReached)
                        d.reason() == io.quantumtrader.trader.events.ExitReason.TAKE_PROFIT ? p.takeProfit() : 0,
                        d.reason().name(),
                        InputEntry.of(r), 0);
                orders.put(exit.orderId(), exit);
                ctx.forward(r.with(p.symbol(), d));
            });
        }
    }
}
