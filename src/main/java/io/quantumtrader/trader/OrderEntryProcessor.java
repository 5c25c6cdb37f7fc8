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
 * the moment, as the risk kernel judged it ({@link AccountStore#judged}: with the volatility spikes known; the venue
 * judges the entry again at its fill: {@link io.quantumtrader.trader.risk.EntryAtFill}). A request
 * while the kill switch is on is refused, counted under {@code kill_switch_active}
 * ({@code qt.streams.node.records.counted}; the kernel vetoes such signals first, so it counts a switch tripped between
 * the two).
 */
final class OrderEntryProcessor implements Processor<String, TradeRequest, String, PendingOrder> {
    private final RiskRules rules;
    private ProcessorContext<String, PendingOrder> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, io.quantumtrader.trader.events.RegimeUpdate> regimes;
    /** How long a CHAOTIC regime counts as a volatility spike, ms ({@link RegimeStore#spikeWindowMs}). */
    private final long spikeWindowMs;

    /** With 1-minute candles (the topology's default). */
    OrderEntryProcessor(RiskRules rules) {
        this(rules, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /** @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them) */
    OrderEntryProcessor(RiskRules rules, java.time.Duration candleSize) {
        this.rules = rules;
        this.spikeWindowMs = RegimeStore.spikeWindowMs(rules, candleSize);
    }

    @Override
    public void init(ProcessorContext<String, PendingOrder> c) {
        ctx = c;
        orders = c.getStateStore("orders");
        accounts = c.getStateStore("account");
        regimes = c.getStateStore("regimes");
        c.declareCounts(java.util.Set.of(KILL_SWITCH_ACTIVE));
    }

    /** The count's reason for a request refused under the kill switch. */
    static final String KILL_SWITCH_ACTIVE = "kill_switch_active";

    @Override
    public void process(Record<String, TradeRequest> r) {
        Account account = AccountStore.judged(accounts, regimes, rules, r.timestamp(), spikeWindowMs);
        if (account.killSwitch()) {
            ctx.count(KILL_SWITCH_ACTIVE);
            return;
        }
        TradeRequest t = r.value();
        PendingOrder o = new PendingOrder("ord-" + t.requestId(), t.requestId(), "pos-" + t.signalId(), t.symbol(),
                t.direction(), OrderFilled.Purpose.ENTRY, t.size(), t.stopLoss(), t.takeProfit(), null,
                InputEntry.of(r), t.entryPrice(), account.killSwitches(), account.deRisk());
        orders.put(o.orderId(), o);
        ctx.forward(r.withValue(o));
    }
}
