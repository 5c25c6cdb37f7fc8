package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRisk;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.SignalAdvisory;

/**
 * The portfolio's kill-switch gate, in front of the risk kernel. Its input is a signal joined with the account's entry
 * of the {@code kill-switch} global table (the broadcast of {@code risk.kill_switch.activated}, DESIGN §7).
 * <ul>
 *   <li>An operator's reset there ({@code active=false}) that this gate has not applied yet turns the account's kill
 *       switch off and, when the operator asked for it ({@code rebaseDrawdown}), measures its drawdown from now on
 *       ({@link Account#drawdownRebased()}: the peak becomes the lower of the realized and the marked equity, the
 *       drawdown halts end) and recomputes the de-risk state
 *       at once ({@link DeRisk#of}, with the symbols whose latest regime in {@code regimes} is CHAOTIC, as position
 *       state does), so the signal that brought the reset is judged in the new state and the change is published
 *       ({@code risk.derisk_state.update}); once (the reset's time is kept in {@code kill-switch-resets}), and is
 *       passed on for the audit log.</li>
 *   <li>Activations there are the portfolio's own, read back: the account's flag was set when they were made (in
 *       record order), so they change nothing here — re-applying one after a daily reset would depend on timing.</li>
 *   <li>Then a signal arriving while the account's kill switch is on is declined with gate {@code kill_switch_active}
 *       (on {@code signals.advisory.no_signal}); otherwise it passes on.</li>
 * </ul>
 * A reset is applied when the next signal reaches the gate, before any new entry could be approved; until then the
 * account stays stopped (the conservative side).
 */
final class KillSwitchGateProcessor implements Processor<String, KillSwitchGateProcessor.Input, String, KillSwitchGateProcessor.Outcome> {

    /** A signal and the account's kill-switch table entry ({@code null}: none). */
    record Input(Signal signal, KillSwitch table) {
    }

    /**
     * What the gate did: exactly one of {@code signal} (passed) and {@code declined}; {@code appliedReset}: the
     * operator's reset applied before judging this signal, else {@code null}; {@code deRisk}: the change of the de-risk
     * state a re-base made, else {@code null}.
     */
    record Outcome(Signal signal, NoSignal declined, KillSwitch appliedReset, DeRiskUpdate deRisk) {
    }

    private final RiskRules rules;
    private ProcessorContext<String, Outcome> ctx;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, KillSwitch> resets;
    private KeyValueStore<String, RegimeUpdate> regimes;

    KillSwitchGateProcessor(RiskRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> c) {
        ctx = c;
        accounts = c.getStateStore("account");
        resets = c.getStateStore("kill-switch-resets");
        regimes = c.getStateStore("regimes");
    }

    @Override
    public void process(Record<String, Input> r) {
        KillSwitch table = r.value().table();
        KillSwitch applied = null;
        DeRiskUpdate deRisk = null;
        if (table != null && !table.active()) {
            KillSwitch last = resets.get(Account.PAPER);
            if (last == null || last.activatedAt() != table.activatedAt()) {
                resets.put(Account.PAPER, table);
                Account a = AccountStore.current(accounts, rules);
                boolean rebase = table.rebaseDrawdown() && a.drawdownPct() > 0;
                if (a.killSwitch() || rebase) {
                    Account after = rebase ? a.reset().drawdownRebased() : a.reset();
                    if (rebase) {
                        int chaotic = RegimeStore.chaoticSymbols(regimes);
                        DeRiskState state = DeRisk.of(rules, after.deRisk(), after.drawdownPct(), chaotic);
                        if (state != after.deRisk()) {
                            deRisk = new DeRiskUpdate(after.name(), state.name(), after.deRisk().name(),
                                    Math.round(after.drawdownPct() * 1000) / 1000.0, chaotic,
                                    DeRisk.reason(rules, after.deRisk(), state, after.drawdownPct(), chaotic) + " (drawdown re-based by the operator)",
                                    r.timestamp());
                            after = after.withDeRisk(state);
                        }
                    }
                    accounts.put(Account.PAPER, after);
                    applied = table;
                }
            }
        }
        Signal signal = r.value().signal();
        Outcome out = AccountStore.today(accounts, rules, r.timestamp()).killSwitch()
                ? new Outcome(null, new NoSignal(r.key(), signal.candleEnd(), "kill_switch_active",
                "the kill switch is on: no signals until a human reset", SignalAdvisory.MODEL_VERSION), applied, deRisk)
                : new Outcome(signal, null, applied, deRisk);
        ctx.forward(r.withValue(out));
    }
}
