package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;

/**
 * The portfolio's kill-switch gate: a signal from the market-data layer arriving while the account's kill switch is on
 * is declined with gate {@code kill_switch_active} (on {@code signals.advisory.no_signal}); otherwise it passes to the
 * risk kernel. It reads the account in the portfolio's record order (docs/TRADING-PIPELINE.md).
 */
final class KillSwitchGateProcessor implements Processor<String, Signal, String, Advice> {
    private final RiskRules rules;
    private ProcessorContext<String, Advice> ctx;
    private KeyValueStore<String, Account> accounts;

    KillSwitchGateProcessor(RiskRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Advice> c) {
        ctx = c;
        accounts = c.getStateStore("account");
    }

    @Override
    public void process(Record<String, Signal> r) {
        Advice advice = AccountStore.today(accounts, rules, r.timestamp()).killSwitch()
                ? new Advice(null, new NoSignal(r.key(), r.value().candleEnd(), "kill_switch_active",
                "the kill switch is on: no signals until a human reset", SignalAdvisory.MODEL_VERSION))
                : new Advice(r.value(), null);
        ctx.forward(r.withValue(advice));
    }
}
