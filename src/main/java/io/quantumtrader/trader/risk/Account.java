package io.quantumtrader.trader.risk;

/**
 * The paper account the risk kernel judges against (kept in the {@code account} store). Its risk limits are on
 * <em>marked equity</em> ({@link #markedEquityUsd()}): realized equity plus the open positions' unrealized P&amp;L at
 * their marks (each symbol's latest tick the portfolio processed) less the entry fees already paid. The drawdown, the
 * day's starting equity and the daily loss (hence the kill switch) are on it, so an open position losing money counts
 * toward the daily loss limit and the drawdown before it is closed. The peak (high-water mark) the drawdown is measured
 * from is the highest <em>realized</em> equity: an unrealized gain, and so one bad upward print, never raises it (found
 * in review, 2026-12-06: a fat-finger tick set a phantom peak of marked equity and halted the account in HARD_DERISK). Sizing and the gross exposure cap
 * stay on realized equity ({@link #equityUsd}) and entry notional; the daily figures of trades and realized P&amp;L
 * (and {@code risk.daily_status.update}) stay realized.
 *
 * @param equityUsd         starting equity plus realized P&amp;L, USD
 * @param peakEquityUsd     high-water mark: highest realized equity ({@code equityUsd}) so far, or the equity an
 *                          operator re-based the drawdown to ({@link #drawdownRebased()}), USD
 * @param day               current UTC day, epoch day
 * @param dayStartEquityUsd marked equity at the start of {@code day}, USD
 * @param dailyRealizedUsd  realized P&amp;L of {@code day}, USD
 * @param dailyTrades       positions closed on {@code day} (a position closed in parts once, at its last close)
 * @param dailyWins         of which with positive P&amp;L over all their parts
 * @param openPositions     positions open now (one per symbol; an add does not count again)
 * @param grossExposureUsd  entry notional of the open positions, USD
 * @param killSwitch        true once the daily loss limit was breached, until a human reset
 *                          ({@link #reset()}; {@link #drawdownRebased()} ends the drawdown halts)
 * @param killSwitches      kill switch activations so far
 * @param maxDrawdownPct    largest drawdown of marked equity from the peak seen ({@link #drawdownPct()}), percent
 * @param deRisk            the de-risk state ({@link DeRisk})
 * @param unrealizedUsd     the open positions' unrealized P&amp;L at their latest marks less their entry fees, USD
 *                          (0 when flat; {@code null}, from an account stored before marks were kept, reads as 0);
 *                          {@link #markedEquityUsd()} is {@code equityUsd + unrealizedUsd}
 * @param forgivenUsd       the open loss a {@link #drawdownRebased() re-base} forgave and that is still open, USD (0
 *                          without one; {@code null}, from an account stored before it was kept, reads as 0): the peak
 *                          rises to realized equity less it, so a later close does not count the forgiven loss again
 */
public record Account(String name, double equityUsd, double peakEquityUsd, long day, double dayStartEquityUsd,
                      double dailyRealizedUsd, long dailyTrades, long dailyWins, int openPositions, double grossExposureUsd,
                      boolean killSwitch, int killSwitches, double maxDrawdownPct, DeRiskState deRisk, Double unrealizedUsd,
                      Double forgivenUsd) {

    public static final String PAPER = "paper";
    /** Milliseconds in a UTC day (java.time's epoch days have no leap seconds). */
    static final long MILLIS_PER_DAY = 86_400_000L;

    public Account {
        deRisk = deRisk == null ? DeRiskState.NORMAL : deRisk;
        unrealizedUsd = unrealizedUsd == null ? 0.0 : unrealizedUsd;   // boxed: an account stored before marks reads back
        // boxed: an account stored before it was kept reads back with what its peak says: a peak below realized equity
        // is a re-base's (nothing else puts it there), forgiving that much (found in review of the first version: 0 lost
        // an earlier re-base at the first close after the upgrade)
        forgivenUsd = forgivenUsd == null ? Math.max(0, equityUsd - peakEquityUsd) : forgivenUsd;
    }

    /** An account that forgives no open loss ({@code forgivenUsd} 0). */
    public Account(String name, double equityUsd, double peakEquityUsd, long day, double dayStartEquityUsd,
                   double dailyRealizedUsd, long dailyTrades, long dailyWins, int openPositions, double grossExposureUsd,
                   boolean killSwitch, int killSwitches, double maxDrawdownPct, DeRiskState deRisk, Double unrealizedUsd) {
        this(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins, openPositions,
                grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, deRisk, unrealizedUsd, 0.0);
    }

    /** An account with no open position marked ({@code unrealizedUsd} 0). */
    public Account(String name, double equityUsd, double peakEquityUsd, long day, double dayStartEquityUsd,
                   double dailyRealizedUsd, long dailyTrades, long dailyWins, int openPositions, double grossExposureUsd,
                   boolean killSwitch, int killSwitches, double maxDrawdownPct, DeRiskState deRisk) {
        this(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins, openPositions,
                grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, deRisk, 0.0);
    }

    /** @return a fresh account with the rules' starting equity */
    public static Account start(RiskRules rules) {
        return new Account(PAPER, rules.startingEquityUsd(), rules.startingEquityUsd(), Long.MIN_VALUE,
                rules.startingEquityUsd(), 0, 0, 0, 0, 0, false, 0, 0, DeRiskState.NORMAL, 0.0, 0.0);
    }

    /** @return the start of the account's UTC day, epoch ms; {@link Long#MIN_VALUE} before its first day */
    public long dayStartMs() {
        return day == Long.MIN_VALUE ? Long.MIN_VALUE : Math.multiplyExact(day, MILLIS_PER_DAY);
    }

    /** @return realized equity plus the open positions at their marks less their entry fees, USD */
    public double markedEquityUsd() {
        return equityUsd + unrealizedUsd;
    }

    /**
     * @param resetKillSwitch whether a new day clears the kill switch ({@link RiskRules#killSwitchResetsDaily()}): only
     *                        a day that starts with no position open; one that starts with positions the trip
     *                        condemned (no position opens while the switch is on) keeps it on, so that the exit brain
     *                        still exits them at their next ticks (DESIGN §6: the kill switch exits all positions).
     *                        Before (review 2026-12-07) the reset at midnight left a position whose symbol had not
     *                        printed since the trip open for good
     * @return this account on the UTC day of {@code time} when that day is later than the account's (a new day resets
     *         the daily figures and starts from the marked equity); the account's day never moves back (a candle closed
     *         at 00:00:05 carries the event time 23:59:59.999 of its window and must not reset the new day's figures)
     */
    public Account onDay(long time, boolean resetKillSwitch) {
        long d = Math.floorDiv(time, MILLIS_PER_DAY);   // the UTC day: java.time's epoch day, without its objects per tick
        return d <= day ? this : new Account(name, equityUsd, peakEquityUsd, d, markedEquityUsd(), 0, 0, 0, openPositions,
                grossExposureUsd, killSwitch && !(resetKillSwitch && openPositions == 0), killSwitches, maxDrawdownPct, deRisk,
                unrealizedUsd, forgivenUsd);
    }

    /** @return this account with a position opened ({@code notional} USD at entry; marked by {@link #marked}) */
    public Account opened(double notional) {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions + 1, grossExposureUsd + notional, killSwitch, killSwitches, maxDrawdownPct, deRisk, unrealizedUsd, forgivenUsd);
    }

    /** @return this account with {@code notional} USD added to an open position (no new position) */
    public Account added(double notional) {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd + notional, killSwitch, killSwitches, maxDrawdownPct, deRisk, unrealizedUsd, forgivenUsd);
    }

    /** @return {@link #closed(double, double, double)} of a position that adds nothing to {@code unrealizedUsd} */
    public Account closed(double notional, double realizedPnl) {
        return closed(notional, realizedPnl, 0);
    }

    /**
     * @param notional          the position's entry notional, USD
     * @param realizedPnl       its realized P&amp;L after all fees, USD
     * @param positionMarkedUsd its part of {@code unrealizedUsd} (its unrealized P&amp;L at its mark less its entry fees,
     *                          USD), which leaves the marked figures as it is realized
     * @return this account with a position closed: realized P&amp;L booked, the peak raised to the realized equity
     *         when higher, the largest drawdown of marked equity tracked
     */
    public Account closed(double notional, double realizedPnl, double positionMarkedUsd) {
        return closed(notional, realizedPnl, positionMarkedUsd, realizedPnl);
    }

    /**
     * {@link #closed(double, double, double)} of the last part of a position closed in parts: a trade of the day, won
     * when {@code positionRealizedPnl}, the P&amp;L of all its parts (USD), is positive (one trade per position, as the
     * daily P&amp;L and the replay report count; {@link #reduced} counts none)
     */
    public Account closed(double notional, double realizedPnl, double positionMarkedUsd, double positionRealizedPnl) {
        int open = Math.max(0, openPositions - 1);
        return new Account(name, equityUsd + realizedPnl, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd + realizedPnl,
                dailyTrades + 1, dailyWins + (positionRealizedPnl > 0 ? 1 : 0), open,
                Math.max(0, grossExposureUsd - notional), killSwitch, killSwitches, maxDrawdownPct, deRisk,
                unrealizedUsd - positionMarkedUsd, open == 0 ? 0.0 : forgivenAfter(positionMarkedUsd)).peaked();
    }

    /**
     * @param notional          the entry notional of the part closed, USD
     * @param realizedPnl       its realized P&amp;L after its fees, USD
     * @param partMarkedUsd     its part of {@code unrealizedUsd}, USD
     * @return this account with part of a position closed (HARD_DERISK's reduction to the cap): its P&amp;L booked as
     *         {@link #closed(double, double, double)} does, but the position stays open and no trade is counted yet (the
     *         position counts once, at its last close: {@link #closed(double, double, double, double)}; until
     *         2026-12-06 each part counted as a trade, found in review)
     */
    public Account reduced(double notional, double realizedPnl, double partMarkedUsd) {
        return new Account(name, equityUsd + realizedPnl, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd + realizedPnl,
                dailyTrades, dailyWins, openPositions,
                Math.max(0, grossExposureUsd - notional), killSwitch, killSwitches, maxDrawdownPct, deRisk,
                unrealizedUsd - partMarkedUsd, forgivenAfter(partMarkedUsd)).peaked();
    }

    /**
     * @param unrealizedUsd the open positions' unrealized P&amp;L at their latest marks less their entry fees, USD
     * @return this account marked: the largest drawdown follows the new marked equity; the peak does not move (it is
     *         on realized equity, which a mark does not change). Until 2026-12-06 a mark raised the peak to the realized
     *         equity like a close, which undid a {@link #drawdownRebased() re-base} with an open loss on the next tick
     *         that moved the mark (the account fell back into HARD_DERISK; found in review 2)
     */
    public Account marked(double unrealizedUsd) {
        if (unrealizedUsd == this.unrealizedUsd.doubleValue()) {
            return this;
        }
        double drawdown = drawdownPct(peakEquityUsd, equityUsd + unrealizedUsd);
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, killSwitch, killSwitches, Math.max(maxDrawdownPct, drawdown), deRisk,
                unrealizedUsd, forgivenUsd);
    }

    /**
     * @return this account with the peak raised to its realized equity when that is higher (never to its marked equity)
     *         and the largest drawdown (of marked equity from that peak) updated
     */
    private Account peaked() {
        // realized equity less the open loss a re-base forgave that is still open: a later close does not count it again
        double peak = Math.max(peakEquityUsd, equityUsd - forgivenUsd);
        double drawdown = drawdownPct(peak, markedEquityUsd());
        return peak == peakEquityUsd && drawdown <= maxDrawdownPct ? this
                : new Account(name, equityUsd, peak, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, killSwitch, killSwitches, Math.max(maxDrawdownPct, drawdown), deRisk, unrealizedUsd,
                forgivenUsd);
    }

    /**
     * @param closedMarkedUsd the marked P&amp;L of what a close realizes (its part of {@code unrealizedUsd}), USD
     * @return the forgiven loss left after that close: less the loss it realizes (a loss realized is in {@code equityUsd}
     *         from then on), never less than 0. Only a close lowers it, never a mark: with the first version's rule (at
     *         most the open loss at each close) a recovery of the re-based position, one bad upward print included, went
     *         into the peak at an unrelated close (found in review, 2026-12-07). A forgiven position that recovered before
     *         it closes leaves the rest forgiven until the account is flat: the peak stays lower meanwhile
     */
    private double forgivenAfter(double closedMarkedUsd) {
        return Math.max(0, forgivenUsd - Math.max(0, -closedMarkedUsd));
    }

    /**
     * @return the day's loss of marked equity as a percent of the day's starting (marked) equity, realized or not (0 when
     *         the marked equity is at or above the day's start)
     */
    public double dailyLossPct() {
        double loss = dayStartEquityUsd - markedEquityUsd();
        return loss <= 0 || dayStartEquityUsd <= 0 ? 0 : loss / dayStartEquityUsd * 100;
    }

    /**
     * @return current drawdown of marked equity from the peak of realized equity, percent of the peak:
     *         {@code (peakEquityUsd - markedEquityUsd()) / peakEquityUsd * 100}; 0 when the marked equity is at or above
     *         the peak (an unrealized gain is no negative drawdown)
     */
    public double drawdownPct() {
        return drawdownPct(peakEquityUsd, markedEquityUsd());
    }

    private static double drawdownPct(double peakUsd, double markedUsd) {
        return peakUsd > 0 && markedUsd < peakUsd ? (peakUsd - markedUsd) / peakUsd * 100 : 0;
    }

    /** @return this account with the kill switch off (a human reset) */
    public Account reset() {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, false, killSwitches, maxDrawdownPct, deRisk, unrealizedUsd, forgivenUsd);
    }

    /**
     * A human decision beside the reset ({@code kill-switch-reset --rebase-drawdown}): the drawdown is measured from
     * now on: the peak becomes the lower of the realized and the marked equity, so the drawdown is 0 at once and the
     * drawdown halts (HARD_DERISK, SOFT_DERISK by drawdown, {@code maxDrawdownPct}) end. The lower of the two: with an
     * open loss the peak is the marked equity (the loss already suffered is forgiven, as the operator decided); with an
     * open gain it is the realized equity, because the peak never holds an unrealized gain (the high-water mark rule:
     * a re-base during a bad print must not set a phantom peak either). The peak rises again only with realized
     * equity less the forgiven loss still open ({@link #forgivenUsd}: lowered by the loss each close realizes, 0 once
     * the account is flat; never by a mark, so no unrealized recovery enters the peak). Until 2026-12-07 a close of any position, even at a
     * gain, raised the peak to the realized equity and the forgiven loss counted again in full (found in review: a
     * +10 USD close put the account back into HARD_DERISK). Without it an account flat in HARD_DERISK or past the maximum drawdown
     * could never trade again (found in review, 2026-12-05); a separate decision, not part of every reset: applied with
     * each routine kill-switch reset it erased the drawdown limits across days (found in review of the first version).
     * The kill-switch gate recomputes the de-risk state as it applies the re-base.
     *
     * @return this account re-based; {@link #maxDrawdownPct} (the largest drawdown seen) is kept
     */
    public Account drawdownRebased() {
        double peak = Math.min(equityUsd, markedEquityUsd());
        return new Account(name, equityUsd, peak, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, deRisk, unrealizedUsd, equityUsd - peak);
    }

    /** @return this account with the kill switch on */
    public Account killed() {
        return new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd, dailyTrades, dailyWins,
                openPositions, grossExposureUsd, true, killSwitches + 1, maxDrawdownPct, deRisk, unrealizedUsd, forgivenUsd);
    }

    /** @return this account in de-risk state {@code state} */
    public Account withDeRisk(DeRiskState state) {
        return state == deRisk ? this : new Account(name, equityUsd, peakEquityUsd, day, dayStartEquityUsd, dailyRealizedUsd,
                dailyTrades, dailyWins, openPositions, grossExposureUsd, killSwitch, killSwitches, maxDrawdownPct, state,
                unrealizedUsd, forgivenUsd);
    }
}
