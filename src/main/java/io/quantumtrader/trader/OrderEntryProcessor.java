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

/** Places sized requests as pending entry orders (refused while the kill switch is on). */
final class OrderEntryProcessor implements Processor<String, TradeRequest, String, PendingOrder> {
    private final RiskRules rules;
    private ProcessorContext<String, PendingOrder> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private KeyValueStore<String, Account> accounts;

    OrderEntryProcessor(RiskRules rules) {
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
        if (AccountStore.today(accounts, rules, r.timestamp()).killSwitch()) {
            return;
        }
        TradeRequest t = r.value();
        PendingOrder o = new PendingOrder("ord-" + t.requestId(), t.requestId(), "pos-" + t.signalId(), t.symbol(),
                t.direction(), OrderFilled.Purpose.ENTRY, t.size(), t.stopLoss(), t.takeProfit(), null,
                InputEntry.of(r), t.entryPrice());
        orders.put(o.orderId(), o);
        ctx.forward(r.withValue(o));
    }
}
