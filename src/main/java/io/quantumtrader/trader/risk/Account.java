package io.quantumtrader.trader.risk;

/**
 * The paper account the risk kernel judges against (kept in the {@code account} store).
 *
 * @param equityUsd         starting equity plus realized P&amp;L, USD
 * @param peakEquityUsd     highest equity so far, USD
 * @param day               current UTC day, epoch day
 * @param dayStartEquityUsd equity at the start of {@code day}, USD
 * @param dailyRealizedUsd  realized P&amp;L of {@code day}, USD
 * @param dailyTrades       positions closed on {@code day}
 * @param dailyWins         of which with positive P&amp;L
 * @param openPositions     positions open now (one per symbol; an add does not count again)
 * @param grossExposureUsd  entry notional of the open positions, USD
 * @param killSwitch        true once the daily loss limit was breached, until a human reset
 *                          ({@link #reset()}; {@link #drawdownRebased()} ends the drawdown halts)
 * @param killSwitches      kill switch activations so far
 * @param maxDrawdownPct    largest drawdown from peak seen, percent
 * @param deRisk            the de-risk state ({@link DeRisk})
 */
public record Account(String name, double equityUsd, double peakEquityUsd, long day, double dayStartEquityUsd,
                      double dailyRealizedUsd, long dailyTrades, long dailyWins, int openPositions, double grossExposureUsd,
                      boolean killSwitch, int killSwitches, double maxDrawdownPct, DeRiskState deRisk) {

    public static final String PAPER = "paper";
    /** Milliseconds in a UTC day (java.time's epoch days have no leap seconds). */
    static final long MILLIS_PER_DAY = 86_400_000L;

    public Account {
        deRisk = deRisk == null ? DeRiskState.NORMAL : deRisk;
    }

    /** @return a fresh account with the rules' starting equity */
    public static Account start(RiskRules rules) {
        return new Account(PAPER, rules.startingEquityUsd(), rules.startingEquityUsd(), Long.MIN_VALUE,
                rules.startingEquityUsd(), 0, 0, 0, 0, 0, false, 0, 0, DeRiskState.NORMAL);
    }

    /**
     * @param resetKillSwitch whether a new day clears the kill switch ({@link RiskRules#killSwitchResetsDaily()})
     * @return this account on the UTC day of {@code time} when that day is later than the account's (a new day resets
     *         the daily figures); the account's day never moves back (a candle closed at 00:00:05 carries the event time
     *         23:59:59.999 of its window and must not reset the new day's figures)
     */
    public Account onDay(long time, boolean resetKillSwitch) {
        long d = Math.floorDiv(time, MILLIS_PER_DAY);   // the UTC day: java.time's epoch day, without its objects per tick
        return d <= day ? this : new Account(name, equityUsd, peakEquityUsd, d, equityUsd, 0, 0, 0, openPositions,
                grossExposureUsd, killSwitch && !resetKillSwitch, killSwitches, maxDrawdownPct, deRisk);
    }

    /** @return this account with a position opened ({@code notional} USD at entry) */
    public Account opened(double notional) {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions + 1, grossExposureUsd + notional, killSwitch, killSwitches, maxDrawdownPct, deRisk);
    }

    /** @return this account with {@code notional} USD added to an open position (no new position) */
    public Account added(double notional) {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd + notional, killSwitch, killSwitches, maxDrawdownPct, deRisk);
    }

    /** @return this account with a position closed: realized P&amp;L booked, drawdown tracked */
    public Account closed(double notional, double realizedPnl) {
        double equity = equityUsd + realizedPnl;
        double peak = Math.max(peakEquityUsd, equity);
        double drawdown = peak > 0 ? (peak - equity) / peak * 100 : 0;
        return new Account(name, equity, peak, day, dayStartEquityUsd, dailyRealizedUsd + realizedPnl, dailyTrades + 1,
                dailyWins + (realizedPnl > 0 ? 1 : 0), Math.max(0, openPositions - 1), Math.max(0, grossExposureUsd - notional),
                killSwitch, killSwitches, Math.max(maxDrawdownPct, drawdown), deRisk);
    }

    /** @return the day's realized loss as a percent of the day's starting equity (0 when in profit) */
    public double dailyLossPct() {
        return dailyRealizedUsd >= 0 || dayStartEquityUsd <= 0 ? 0 : -dailyRealizedUsd / dayStartEquityUsd * 100;
    }

    /** @return current drawdown from peak, percent */
    public double drawdownPct() {
        return peakEquityUsd > 0 ? (peakEquityUsd - equityUsd) / peakEquityUsd * 100 : 0;
    }

    /** @return this account with the kill switch off (a human reset) */
    public Account reset() {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, false, killSwitches, maxDrawdownPct, deRisk);
    }

    /**
     * A human decision beside the reset ({@code kill-switch-reset --rebase-drawdown}): the drawdown is measured from
     * the current equity on (the peak becomes the current equity), so the drawdown halts (HARD_DERISK, SOFT_DERISK by
     * drawdown, {@code maxDrawdownPct}) end. Without it an account flat in HARD_DERISK or past the maximum drawdown could
     * never trade again, its drawdown being on realized equity (found in review, 2026-12-05); a separate decision, not
     * part of every reset: applied with each routine kill-switch reset it erased the drawdown limits across days (found
     * in review of the first version). The de-risk state itself is recomputed, and its change published, at the
     * account's next tick.
     *
     * @return this account re-based; {@link #maxDrawdownPct} (the largest drawdown seen) is kept
     */
    public Account drawdownRebased() {
        return new Account(name, equityUsd, equityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, deRisk);
    }

    /** @return this account with the kill switch on */
    public Account killed() {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, true, killSwitches + 1, maxDrawdownPct, deRisk);
    }

    /** @return this account in de-risk state {@code state} */
    public Account withDeRisk(DeRiskState state) {
        return state == deRisk ? this : new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd,
                dailyTrades, dailyWins, openPositions, grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, state);
    }
}
