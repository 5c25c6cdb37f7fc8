package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.signal.SignalAdvisory;

/**
 * The portfolio's kill-switch gate, in front of the risk kernel. Its input is a signal joined with the account's entry
 * of the {@code kill-switch} global table (the broadcast of {@code risk.kill_switch.activated}, DESIGN §7).
 * <ul>
 *   <li>An operator's reset there that neither this gate nor the tick path ({@link KillSwitchResetProcessor}) has
 *       applied yet is applied ({@link KillSwitchResets}): the kill switch off, with {@code rebaseDrawdown} the drawdown
 *       re-based and the de-risk state recomputed at once, so the signal that brought the reset is judged in the new
 *       state and the change is published ({@code risk.derisk_state.update}); the reset is passed on for the audit
 *       log.</li>
 *   <li>Then a signal arriving while the account's kill switch is on is declined with gate {@code kill_switch_active}
 *       (on {@code signals.advisory.no_signal}); otherwise it passes on.</li>
 * </ul>
 * A reset is applied by the first tick or signal of the account after it, before any new entry could be approved;
 * until then the account stays stopped (the conservative side).
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
    private KillSwitchResets resets;

    private final java.time.Duration candleSize;

    /** With 1-minute candles (the topology's default). */
    KillSwitchGateProcessor(RiskRules rules) {
        this(rules, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /** @param candleSize the topology's candle size (for the volatility-spike rule of a re-base's de-risk state) */
    KillSwitchGateProcessor(RiskRules rules, java.time.Duration candleSize) {
        this.rules = rules;
        this.candleSize = candleSize;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> c) {
        ctx = c;
        accounts = c.getStateStore("account");
        resets = new KillSwitchResets(rules, candleSize, accounts, c.getStateStore("kill-switch-resets"), c.getStateStore("regimes"));
    }

    @Override
    public void process(Record<String, Input> r) {
        KillSwitchResets.Applied applied = resets.apply(r.value().table(), r.timestamp());
        KillSwitch reset = applied == null ? null : applied.reset();
        DeRiskUpdate deRisk = applied == null ? null : applied.deRisk();
        Signal signal = r.value().signal();
        Outcome out = AccountStore.today(accounts, rules, r.timestamp()).killSwitch()
                ? new Outcome(null, new NoSignal(r.key(), signal.candleEnd(), "kill_switch_active",
                "the kill switch is on: no signals until a human reset", SignalAdvisory.MODEL_VERSION), reset, deRisk)
                : new Outcome(signal, null, reset, deRisk);
        ctx.forward(r.withValue(out));
    }
}
