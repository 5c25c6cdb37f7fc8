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

/** Risk kernel over the account and open positions. */
final class RiskKernelProcessor implements Processor<String, Signal, String, RiskEvaluation> {
    private final RiskRules rules;
    private final RiskKernel kernel;
    private ProcessorContext<String, RiskEvaluation> ctx;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, Position> positions;

    RiskKernelProcessor(RiskRules rules) {
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
        Account a = AccountStore.today(accounts, rules, r.timestamp());
        ctx.forward(r.withValue(kernel.evaluate(r.value(), a, positions.get(r.key()) != null, r.timestamp())));
    }
}
