package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.regime.MarketState;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;

/** Signal advisory; declines with gate {@code kill_switch_active} while the kill switch is on. */
final class AdvisoryProcessor implements Processor<String, MarketState, String, Advice> {
    private final SignalAdvisory advisory = new SignalAdvisory();
    private final RiskRules rules;
    private ProcessorContext<String, Advice> ctx;
    private KeyValueStore<String, Account> accounts;

    AdvisoryProcessor(RiskRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Advice> c) {
        ctx = c;
        accounts = c.getStateStore("account");
    }

    @Override
    public void process(Record<String, MarketState> r) {
        Advice advice = AccountStore.today(accounts, rules, r.timestamp()).killSwitch()
                ? new Advice(null, new NoSignal(r.key(), r.value().candle().windowEnd(), "kill_switch_active",
                "the kill switch is on: no signals until a human reset", SignalAdvisory.MODEL_VERSION))
                : advisory.advise(r.value());
        ctx.forward(r.withValue(advice));
    }
}
