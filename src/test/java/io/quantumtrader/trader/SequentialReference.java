package io.quantumtrader.trader;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.exit.ExitBrain;
import io.quantumtrader.trader.market.CandleBuilder;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.regime.CandleHistory;
import io.quantumtrader.trader.regime.MarketState;
import io.quantumtrader.trader.regime.RegimeDetector;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskKernel;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;
import io.quantumtrader.trader.sizing.PositionSizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trading logic as a plain sequential loop over the ticks, with no engine: the same domain functions, called in
 * the order the topology calls them for each tick (candle close → regime → advisory → risk → sizer → order entry, then
 * venue → positions → exit brain). The differential test compares its trades with the pipeline's.
 */
final class SequentialReference {

    private static final long MINUTE = 60_000;
    private final RegimeDetector detector = new RegimeDetector(RegimeRules.defaults());
    private final SignalAdvisory advisory = new SignalAdvisory();
    private final RiskRules rules;
    private final RiskKernel kernel;
    private final PositionSizer sizer = new PositionSizer();
    private final PaperVenue venue = PaperVenue.defaults();
    private final ExitBrain brain = ExitBrain.defaults();
    private final Map<Long, CandleBuilder> windows = new TreeMap<>();
    private CandleHistory history = CandleHistory.empty();
    private long streamTime = Long.MIN_VALUE;
    private final Map<String, PendingOrder> orders = new TreeMap<>();
    private Position position;
    private io.quantumtrader.trader.events.RegimeUpdate regime;
    private Account account;
    final List<PositionClosed> closed = new ArrayList<>();

    SequentialReference(RiskRules rules) {
        this.rules = rules;
        this.kernel = new RiskKernel(rules);
        this.account = Account.start(rules);
    }

    void onTick(PriceTick t, String tickId) {
        // candle builder: 1-minute windows, 5 s grace, final results when a window closes
        streamTime = Math.max(streamTime, t.timestamp());
        long start = (t.timestamp() / MINUTE) * MINUTE;
        if (start + MINUTE > streamTime - QuantumTraderTopology.CANDLE_GRACE.toMillis()) {
            windows.merge(start, CandleBuilder.empty().add(t), (old, n) -> old.add(t));
        }
        for (Long s : new ArrayList<>(windows.keySet())) {
            if (s + MINUTE + QuantumTraderTopology.CANDLE_GRACE.toMillis() <= streamTime) {
                onCandle(windows.remove(s).toCandle(t.symbol(), s, s + MINUTE), t.timestamp(), tickId);
            }
        }
        // paper venue: orders placed on earlier ticks fill on this one
        List<OrderFilled> fills = new ArrayList<>();
        boolean kill = account.onDay(t.timestamp(), rules.killSwitchResetsDaily()).killSwitch();
        for (PendingOrder o : new ArrayList<>(orders.values())) {
            if (o.placedBy().equals(tickId)) {
                continue;
            }
            orders.remove(o.orderId());
            if (!(kill && o.purpose() == OrderFilled.Purpose.ENTRY)) {
                fills.add(venue.fill(o, t));
            }
        }
        // position state
        account = account.onDay(t.timestamp(), rules.killSwitchResetsDaily());
        for (OrderFilled f : fills) {
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                position = new Position(f.positionId(), f.symbol(), f.direction(), f.size(), f.price(), f.stopLoss(),
                        f.takeProfit(), f.feeUsd(), f.filledAt(), false);
                account = account.opened(f.price() * f.size());
            } else if (position != null) {
                double fees = position.entryFeeUsd() + f.feeUsd();
                double pnl = Math.round((position.unrealized(f.price()) - fees) * 100) / 100.0;
                account = account.closed(position.entryPrice() * position.size(), pnl);
                closed.add(new PositionClosed(position.positionId(), account.name(), position.symbol(), position.direction(),
                        position.size(), position.entryPrice(), f.price(), pnl, Math.round(fees * 100) / 100.0,
                        f.filledAt() - position.openedAt(), f.exitReason(), position.openedAt(), f.filledAt()));
                position = null;
                if (account.dailyLossPct() >= rules.dailyLossLimitPct() && !account.killSwitch()) {
                    account = account.killed();
                }
            }
        }
        // exit brain
        if (position != null) {
            boolean killNow = account.onDay(t.timestamp(), rules.killSwitchResetsDaily()).killSwitch();
            brain.check(position, t, killNow, regime).ifPresent(d -> {
                position = position.closingNow();
                PendingOrder exit = new PendingOrder("exit-" + position.positionId(), null, position.positionId(),
                        position.symbol(), position.direction(), OrderFilled.Purpose.EXIT, position.size(), 0, 0,
                        d.reason().name(), tickId);
                orders.put(exit.orderId(), exit);
            });
        }
    }

    private void onCandle(Candle c, long now, String tickId) {
        history = history.append(c, detector.rules().historyCandles());
        MarketState state = detector.evaluate(history.candles());
        if (state.regime() != null) {
            regime = state.regime();
        }
        Account a = account.onDay(now, rules.killSwitchResetsDaily());
        if (a.killSwitch()) {
            return;
        }
        Advice advice = advisory.advise(state);
        if (advice.signal() == null) {
            return;
        }
        RiskEvaluation e = kernel.evaluate(advice.signal(), a, position != null, now);
        sizer.size(e, e.evaluatedAt()).ifPresent((TradeRequest r) -> {
            PendingOrder o = new PendingOrder("ord-" + r.requestId(), r.requestId(), "pos-" + r.signalId(), r.symbol(),
                    r.direction(), OrderFilled.Purpose.ENTRY, r.size(), r.stopLoss(), r.takeProfit(), null, tickId);
            orders.put(o.orderId(), o);
        });
    }

    /** @return realized P&amp;L per UTC day */
    Map<String, Double> dailyPnl() {
        Map<String, Double> out = new TreeMap<>();
        closed.forEach(c -> out.merge(java.time.Instant.ofEpochMilli(c.closedAt()).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate().toString(), c.realizedPnl(), Double::sum));
        return out;
    }

    static Map<String, Double> dailyPnl(List<PositionClosed> closed) {
        Map<String, Double> out = new HashMap<>();
        closed.forEach(c -> out.merge(java.time.Instant.ofEpochMilli(c.closedAt()).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate().toString(), c.realizedPnl(), Double::sum));
        return new TreeMap<>(out);
    }
}
