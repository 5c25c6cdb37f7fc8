package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * Places sized requests as pending entry orders, each with the account's kill switch activations and de-risk state of
 * the moment, as the risk kernel judged it ({@link JudgedAccount}: with the volatility spikes known; the venue
 * judges the entry again at its fill: {@link io.quantumtrader.trader.risk.EntryAtFill}). A request
 * while the kill switch is on is refused, counted under {@code kill_switch_active}
 * ({@code qt.streams.node.records.counted}; the kernel vetoes such signals first, so it counts a switch tripped between
 * the two).
 */
final class OrderEntryProcessor implements Processor<String, TradeRequest, String, PendingOrder> {
    private ProcessorContext<String, PendingOrder> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private final JudgedAccount judged;

    /** @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them) */
    OrderEntryProcessor(RiskRules rules, java.time.Duration candleSize) {
        this.judged = new JudgedAccount(rules, candleSize);
    }

    @Override
    public void init(ProcessorContext<String, PendingOrder> c) {
        ctx = c;
        orders = c.getStateStore("orders");
        judged.init(c);
        c.declareCounts(java.util.Set.of(KILL_SWITCH_ACTIVE));
    }

    /** The count's reason for a request refused under the kill switch. */
    static final String KILL_SWITCH_ACTIVE = "kill_switch_active";

    @Override
    public void process(Record<String, TradeRequest> r) {
        Account account = judged.at(r.timestamp());
        if (account.killSwitch()) {
            ctx.count(KILL_SWITCH_ACTIVE);
            return;
        }
        TradeRequest t = r.value();
        PendingOrder o = new PendingOrder("ord-" + t.requestId(), t.requestId(), "pos-" + t.signalId(), t.symbol(),
                t.direction(), OrderFilled.Purpose.ENTRY, t.size(), t.stopLoss(), t.takeProfit(), null,
                InputEntry.of(r), t.entryPrice(), account.killSwitches(), account.deRisk(), r.timestamp());
        orders.put(o.orderId(), o);
        ctx.forward(r.withValue(o));
    }
}
