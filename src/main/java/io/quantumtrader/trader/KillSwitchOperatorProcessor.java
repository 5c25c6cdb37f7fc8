package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * Applies the operator's reset, read from {@code risk.kill_switch.activated} ({@code active=false}). Activations on
 * that stream are the topology's own, read back: they change nothing (the flag was set when they were made, and
 * re-applying one that arrives after a daily reset would depend on timing).
 */
final class KillSwitchOperatorProcessor implements Processor<String, KillSwitch, String, KillSwitch> {
    private final RiskRules rules;
    private ProcessorContext<String, KillSwitch> ctx;
    private KeyValueStore<String, Account> accounts;

    KillSwitchOperatorProcessor(RiskRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, KillSwitch> c) {
        ctx = c;
        accounts = c.getStateStore("account");
    }

    @Override
    public void process(Record<String, KillSwitch> r) {
        Account a = AccountStore.current(accounts, rules);
        if (!r.value().active() && a.killSwitch()) {
            accounts.put(Account.PAPER, a.reset());
            ctx.forward(r);
        }
    }
}
