package io.quantumtrader.trader.risk;

/**
 * Decides the de-risk state from the account's drawdown and the market's volatility (DESIGN §7; thresholds in
 * {@code config/risk-rules.yaml}): HARD_DERISK when the drawdown of marked equity from the peak of realized equity
 * ({@link Account#drawdownPct()}) reached {@code hardDeriskDrawdownPct}; SOFT_DERISK when it reached
 * {@code softDeriskDrawdownPct} or when at least one symbol is in a volatility spike (its latest regime is CHAOTIC, of a
 * candle that ended at most {@code volatilitySpikeStaleCandles} candles before: the caller counts them) and
 * {@code softDeriskOnVolatilitySpike}; NORMAL otherwise. A threshold of 0 disables that rule.
 *
 * <p>Hysteresis ({@code deriskHysteresisPct}, percentage points of drawdown; 0: none): entering a state is as above,
 * but an account in HARD_DERISK leaves it only once the drawdown is below {@code hardDeriskDrawdownPct -
 * deriskHysteresisPct}, and an account in SOFT_DERISK or HARD_DERISK is held in (at least) SOFT_DERISK by the drawdown
 * until it is below {@code softDeriskDrawdownPct - deriskHysteresisPct}. Without it a drawdown hovering at a threshold
 * (now recomputed from a mark on every tick) changed the state on every tick, each change published and each cancelling
 * pending entries or halving sizes (found in review, 2026-12-06). The volatility-spike rule has no hysteresis (it follows
 * the regimes, which change per candle); the state does not record why SOFT_DERISK was entered, so a SOFT_DERISK entered
 * on a spike is also held while the drawdown is within the margin below the soft threshold. Plain Java.
 */
public final class DeRisk {

    private DeRisk() {
    }

    /**
     * @param current        the account's de-risk state now (the hysteresis depends on it)
     * @param drawdownPct    drawdown of marked equity from the peak of realized equity, percent
     * @param chaoticSymbols symbols whose latest regime is CHAOTIC
     * @return the state these figures put an account in state {@code current} in
     */
    public static DeRiskState of(RiskRules rules, DeRiskState current, double drawdownPct, int chaoticSymbols) {
        if (rules.hardDeriskDrawdownPct() > 0 && drawdownPct >= hardExit(rules, current)) {
            return DeRiskState.HARD_DERISK;
        }
        if ((rules.softDeriskDrawdownPct() > 0 && drawdownPct >= softExit(rules, current))
                || (rules.softDeriskOnVolatilitySpike() && chaoticSymbols > 0)) {
            return DeRiskState.SOFT_DERISK;
        }
        return DeRiskState.NORMAL;
    }

    /**
     * The account as the risk kernel, order entry and the paper venue judge it between two ticks: a NORMAL account is in
     * SOFT_DERISK as soon as a volatility spike is known ({@code softDeriskOnVolatilitySpike}). Position state moves the
     * stored state on ticks only, so a spike classified after the last tick (a CHAOTIC candle of another symbol) was not
     * applied to a signal judged, or an entry filled, before the next tick had stored it: the entry filled whole in the
     * SOFT_DERISK its own tick then entered (found in review, 2026-12-07; DESIGN §6: the risk kernel consumes
     * {@code regime.volatility.spike}). Only entering SOFT_DERISK is brought forward: a state is left at position state's
     * next tick as before (a spike gone stale since the last tick still halves until then: the cautious side).
     *
     * @param chaoticSymbols symbols in a volatility spike now (the caller counts them, with their staleness bound)
     * @return {@code account}, in SOFT_DERISK when that applies (the same instance when nothing changes)
     */
    public static Account withSpikes(RiskRules rules, Account account, int chaoticSymbols) {
        return account.deRisk() == DeRiskState.NORMAL && rules.softDeriskOnVolatilitySpike() && chaoticSymbols > 0
                ? account.withDeRisk(DeRiskState.SOFT_DERISK) : account;
    }

    /** @return the drawdown (percent) at or above which an account in {@code current} is (or stays) in HARD_DERISK */
    private static double hardExit(RiskRules rules, DeRiskState current) {
        return current == DeRiskState.HARD_DERISK
                ? rules.hardDeriskDrawdownPct() - rules.deriskHysteresisPct() : rules.hardDeriskDrawdownPct();
    }

    /** @return the drawdown (percent) at or above which an account in {@code current} is (or stays) in SOFT_DERISK */
    private static double softExit(RiskRules rules, DeRiskState current) {
        return current == DeRiskState.NORMAL
                ? rules.softDeriskDrawdownPct() : rules.softDeriskDrawdownPct() - rules.deriskHysteresisPct();
    }

    /**
     * @param closingNotionalUsd entry notional of positions whose exit order is already placed, USD
     * @return whether HARD_DERISK must reduce: the account is in it and the entry notional of its positions not already
     *         closing exceeds the gross exposure cap (DESIGN §7: "reduce to the cap")
     */
    public static boolean mustReduce(RiskRules rules, Account account, double closingNotionalUsd) {
        return mustReduce(rules, account, closingNotionalUsd, 0);
    }

    /**
     * @param closingNotionalUsd entry notional of positions whose exit order is already placed, USD
     * @param closingLossUsd     the loss those exits will realize (estimated; negative for a gain), USD: it lowers
     *                           realized equity and the cap with it
     * @return whether HARD_DERISK must reduce: the account is in it and the entry notional of its positions not already
     *         closing exceeds the gross exposure cap as it will be once those exits fill
     */
    public static boolean mustReduce(RiskRules rules, Account account, double closingNotionalUsd, double closingLossUsd) {
        return account.deRisk() == DeRiskState.HARD_DERISK && account.grossExposureUsd() - closingNotionalUsd
                > (account.equityUsd() - closingLossUsd) * rules.grossExposureCapPct() / 100;
    }

    /**
     * @param current the state the account was in before {@code state} (the hysteresis: a state held below its entry
     *                threshold says so)
     * @return why the account is in {@code state}, in words
     */
    public static String reason(RiskRules rules, DeRiskState current, DeRiskState state, double drawdownPct, int chaoticSymbols) {
        return switch (state) {
            case HARD_DERISK -> drawdownPct >= rules.hardDeriskDrawdownPct()
                    ? "drawdown " + PercentFigure.of(drawdownPct) + "% >= " + PercentFigure.of(rules.hardDeriskDrawdownPct()) + "%"
                    : held(drawdownPct, hardExit(rules, current));
            case SOFT_DERISK -> rules.softDeriskDrawdownPct() > 0 && drawdownPct >= rules.softDeriskDrawdownPct()
                    ? "drawdown " + PercentFigure.of(drawdownPct) + "% >= " + PercentFigure.of(rules.softDeriskDrawdownPct()) + "%"
                    : rules.softDeriskOnVolatilitySpike() && chaoticSymbols > 0
                    ? chaoticSymbols + " symbol(s) in a volatility spike"
                    : held(drawdownPct, softExit(rules, current));
            case NORMAL -> "drawdown " + PercentFigure.of(drawdownPct) + "%, no volatility spike";
        };
    }

    /** @return the reason of a state the hysteresis holds: the drawdown and the threshold it is still at or above */
    private static String held(double drawdownPct, double thresholdPct) {
        return "drawdown " + PercentFigure.of(drawdownPct) + "% still >= " + PercentFigure.of(thresholdPct) + "% (hysteresis)";
    }
}
