package io.quantumtrader.trader.risk;

/**
 * Decides the de-risk state from the account's drawdown and the market's volatility (DESIGN §7; thresholds in
 * {@code config/risk-rules.yaml}): HARD_DERISK when the drawdown of marked equity from its peak
 * ({@link Account#drawdownPct()}) reached {@code hardDeriskDrawdownPct}; SOFT_DERISK when it reached {@code softDeriskDrawdownPct} or when at least one symbol
 * is in a volatility spike (its latest regime is CHAOTIC) and {@code softDeriskOnVolatilitySpike}; NORMAL otherwise.
 * A threshold of 0 disables that rule. Plain Java.
 */
public final class DeRisk {

    private DeRisk() {
    }

    /**
     * @param drawdownPct    drawdown of marked equity from its peak, percent
     * @param chaoticSymbols symbols whose latest regime is CHAOTIC
     * @return the state these figures put the account in
     */
    public static DeRiskState of(RiskRules rules, double drawdownPct, int chaoticSymbols) {
        if (rules.hardDeriskDrawdownPct() > 0 && drawdownPct >= rules.hardDeriskDrawdownPct()) {
            return DeRiskState.HARD_DERISK;
        }
        if ((rules.softDeriskDrawdownPct() > 0 && drawdownPct >= rules.softDeriskDrawdownPct())
                || (rules.softDeriskOnVolatilitySpike() && chaoticSymbols > 0)) {
            return DeRiskState.SOFT_DERISK;
        }
        return DeRiskState.NORMAL;
    }

    /**
     * @param closingNotionalUsd entry notional of positions whose exit order is already placed, USD
     * @return whether HARD_DERISK must reduce: the account is in it and the entry notional of its positions not already
     *         closing exceeds the gross exposure cap (DESIGN §7: "reduce to the cap")
     */
    public static boolean mustReduce(RiskRules rules, Account account, double closingNotionalUsd) {
        return account.deRisk() == DeRiskState.HARD_DERISK
                && account.grossExposureUsd() - closingNotionalUsd > account.equityUsd() * rules.grossExposureCapPct() / 100;
    }

    /** @return why the account is in {@code state}, in words */
    public static String reason(RiskRules rules, DeRiskState state, double drawdownPct, int chaoticSymbols) {
        return switch (state) {
            case HARD_DERISK -> String.format("drawdown %.2f%% >= %.1f%%", drawdownPct, rules.hardDeriskDrawdownPct());
            case SOFT_DERISK -> rules.softDeriskDrawdownPct() > 0 && drawdownPct >= rules.softDeriskDrawdownPct()
                    ? String.format("drawdown %.2f%% >= %.1f%%", drawdownPct, rules.softDeriskDrawdownPct())
                    : chaoticSymbols + " symbol(s) in a volatility spike";
            case NORMAL -> String.format("drawdown %.2f%%, no volatility spike", drawdownPct);
        };
    }
}
