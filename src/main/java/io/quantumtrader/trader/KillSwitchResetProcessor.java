package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * The portfolio's tick path, first step: a tick joined with the account's entry of the {@code kill-switch} global
 * table applies an operator's reset found there that was not applied yet ({@link KillSwitchResets}) before the paper
 * venue, position state and the exit brain see the tick — so position state judges the tick (and may trip the kill
 * switch again) on the reset account, and a reset cannot be lost to an activation that replaces it in the table before
 * the next signal. Every tick passes on, with what its reset changed.
 */
final class KillSwitchResetProcessor implements Processor<String, KillSwitchResetProcessor.Input, String, KillSwitchResetProcessor.Outcome> {

    /** A tick and the account's kill-switch table entry ({@code null}: none). */
    record Input(PriceTick tick, KillSwitch table) {
    }

    /**
     * The tick, and what applying a reset before it changed: {@code appliedReset} (for the audit log) and {@code deRisk}
     * (a re-base's change of the de-risk state), each {@code null} when none.
     */
    record Outcome(PriceTick tick, KillSwitch appliedReset, DeRiskUpdate deRisk) {
    }

    private final RiskRules rules;
    private ProcessorContext<String, Outcome> ctx;
    private KillSwitchResets resets;

    private final java.time.Duration candleSize;

    /** With 1-minute candles (the topology's default). */
    KillSwitchResetProcessor(RiskRules rules) {
        this(rules, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /** @param candleSize the topology's candle size (for the volatility-spike rule of a re-base's de-risk state) */
    KillSwitchResetProcessor(RiskRules rules, java.time.Duration candleSize) {
        this.rules = rules;
        this.candleSize = candleSize;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> c) {
        ctx = c;
        resets = new KillSwitchResets(rules, candleSize, c.getStateStore("account"), c.getStateStore("kill-switch-resets"),
                c.getStateStore("regimes"));
    }

    @Override
    public void process(Record<String, Input> r) {
        KillSwitchResets.Applied applied = resets.apply(r.value().table(), r.timestamp());
        ctx.forward(r.withValue(applied == null
                ? new Outcome(r.value().tick(), null, null)
                : new Outcome(r.value().tick(), applied.reset(), applied.deRisk())));
    }
}
