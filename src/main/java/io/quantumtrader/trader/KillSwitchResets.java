package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRisk;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * Applies an operator's reset found in the account's entry of the {@code kill-switch} global table (the broadcast of
 * {@code risk.kill_switch.activated}, DESIGN §7), once: it turns the account's kill switch off and, when the operator
 * asked for it ({@code rebaseDrawdown}), measures its drawdown from now on ({@link Account#drawdownRebased()}: the peak
 * becomes the lower of the realized and the marked equity, the drawdown halts end) and recomputes the de-risk state at
 * once ({@link DeRisk#of}, with the symbols in a volatility spike, {@link RegimeStore#chaoticSymbols}, as position state does).
 * The reset's time is kept in {@code kill-switch-resets}, so the tick path and the kill-switch gate, which both call
 * this with the entry they joined, apply a reset once between them.
 * <p>
 * Activations in the table are the portfolio's own, read back: the account's flag was set when they were made (in
 * record order), so they change nothing here — re-applying one after a daily reset would depend on timing.
 * <p>
 * Why both paths (found in review, 2026-12-06): the table keeps an account's latest entry only. Applied by the gate
 * alone — at the next signal, minutes away — a reset with {@code --rebase-drawdown} issued while the kill switch was off
 * was lost when a tick tripped the kill switch before that signal: the activation replaced the reset in the table, the
 * re-base never happened and the audit log never showed the operator's command. Applied at the first tick after it,
 * a reset can be replaced only within the time the global table's replica takes to read it.
 */
final class KillSwitchResets {

    /**
     * What applying a reset changed.
     *
     * @param reset  the operator's reset (for the audit log; {@code kill-switch-reset} waits for its entry)
     * @param deRisk the change of the de-risk state a re-base made, else {@code null}
     */
    record Applied(KillSwitch reset, DeRiskUpdate deRisk) {
    }

    private final RiskRules rules;
    private final KeyValueStore<String, Account> accounts;
    private final KeyValueStore<String, KillSwitch> resets;
    private final KeyValueStore<String, RegimeUpdate> regimes;
    private final long spikeWindowMs;

    /**
     * Over the portfolio's stores {@code account}, {@code kill-switch-resets} and {@code regimes}.
     *
     * @param candleSize the topology's candle size (a CHAOTIC regime counts for
     *                   {@link RiskRules#volatilitySpikeStaleCandles()} of them, as in position state)
     */
    KillSwitchResets(RiskRules rules, java.time.Duration candleSize, KeyValueStore<String, Account> accounts,
                     KeyValueStore<String, KillSwitch> resets, KeyValueStore<String, RegimeUpdate> regimes) {
        this.rules = rules;
        this.spikeWindowMs = RegimeStore.spikeWindowMs(rules, candleSize);
        this.accounts = accounts;
        this.resets = resets;
        this.regimes = regimes;
    }

    /**
     * @param table     the account's entry of the kill-switch table as the record joined it ({@code null}: none)
     * @param timestamp the record's event time, epoch ms, the time of a re-base's de-risk change: the global table is
     *                  read in processing order, so in a replay the record that applies a reset may be older than the
     *                  reset; the account's changes stay in its records' event time
     * @return what the reset changed, or {@code null} when {@code table} holds no reset not applied yet; a reset that
     *         finds the kill switch off and (asked to re-base) no drawdown changes nothing but is returned all the same,
     *         so that the audit log holds every operator command ({@code kill-switch-reset} waits for that entry)
     */
    Applied apply(KillSwitch table, long timestamp) {
        if (table == null || table.active()) {
            return null;
        }
        KillSwitch last = resets.get(Account.PAPER);
        // the same reset (a retry of its entry reads the same value): applied once. Until 2026-12-08 a reset was known
        // by its time alone, and a second reset with the same time (another operator, a tool writing a constant) was
        // dropped without being applied or audited (found in review: ResetIdentityTest)
        if (table.equals(last)) {
            return null;
        }
        resets.put(Account.PAPER, table);
        Account a = AccountStore.current(accounts, rules);
        boolean rebase = table.rebaseDrawdown() && a.drawdownPct() > 0;
        if (!a.killSwitch() && !rebase) {
            return new Applied(table, null);   // nothing to change; audited all the same, as every operator command
        }
        Account after = rebase ? a.reset().drawdownRebased() : a.reset();
        DeRiskUpdate deRisk = null;
        if (rebase) {
            int chaotic = RegimeStore.chaoticSymbols(regimes, timestamp, spikeWindowMs);
            DeRiskState state = DeRisk.of(rules, after.deRisk(), after.drawdownPct(), chaotic);
            if (state != after.deRisk()) {
                deRisk = new DeRiskUpdate(after.name(), state.name(), after.deRisk().name(),
                        Math.round(after.drawdownPct() * 1000) / 1000.0, chaotic,
                        DeRisk.reason(rules, after.deRisk(), state, after.drawdownPct(), chaotic) + " (drawdown re-based by the operator)",
                        timestamp);
                after = after.withDeRisk(state);
            }
        }
        accounts.put(Account.PAPER, after);
        return new Applied(table, deRisk);
    }
}
