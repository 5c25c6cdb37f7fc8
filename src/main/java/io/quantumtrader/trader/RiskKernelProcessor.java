package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskKernel;
import io.quantumtrader.trader.risk.RiskRules;

/** Risk kernel over the account, the open positions and the pending entry orders. */
final class RiskKernelProcessor implements Processor<String, Signal, String, RiskEvaluation> {
    private final RiskRules rules;
    private final RiskKernel kernel;
    private ProcessorContext<String, RiskEvaluation> ctx;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, io.quantumtrader.trader.execution.PendingOrder> orders;

    /** @param venue the venue the approved orders go to: its fee and slippage count in each trade's risk */
    RiskKernelProcessor(RiskRules rules, io.quantumtrader.trader.execution.PaperVenue venue) {
        this.rules = rules;
        this.kernel = new RiskKernel(rules, venue.feeBps() + venue.slippageBps());
    }

    @Override
    public void init(ProcessorContext<String, RiskEvaluation> c) {
        ctx = c;
        accounts = c.getStateStore("account");
        positions = c.getStateStore("positions");
        orders = c.getStateStore("orders");
    }

    @Override
    public void process(Record<String, Signal> r) {
        Account a = AccountStore.today(accounts, rules, r.timestamp());
        io.quantumtrader.trader.risk.Exposure exposure = io.quantumtrader.trader.risk.Exposure.of(positions.get(r.key()),
                orders.all().values(), symbol -> positions.get(symbol) != null);
        ctx.forward(r.withValue(kernel.evaluate(r.value(), a, exposure, r.timestamp())));
    }
}
