package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.execution.PendingOrder;

/**
 * The risk rules a pending entry order is judged against again when it fills, on the account and the price of the fill
 * rather than those of its approval. The risk kernel approves and sizes an entry at its signal's price (the candle's
 * close) on the account of that moment; the paper venue fills it at the symbol's next print, which may come much later
 * and far away (the next bar of daily or monthly candles; a symbol that does not trade for hours). Found in review
 * (2026-12-06): an entry approved at 100 with its stop at 96 filled at 125 after a gap, risking 6.8 % of equity instead
 * of 1 % and above its own target; an entry approved before the kill switch tripped filled after the operator's reset;
 * an entry approved in NORMAL filled at full size in SOFT_DERISK. At the fill, in this order:
 * <ol>
 *   <li>the entry halts of now ({@link EntryHalts}: kill switch active, HARD_DERISK, an add in SOFT_DERISK; since
 *       2026-12-06 position state cancels every pending entry when the kill switch trips or the account enters
 *       HARD_DERISK, so for those two this is the backstop);</li>
 *   <li>the kill switch tripped after the entry was placed (the account's activations grew), even if reset since: the
 *       pending entries of a tripped account are cancelled (DESIGN §6: "kill switch → execution cancels pending
 *       orders"; since 2026-12-06 position state cancels them at the trip itself, so this is the backstop for an
 *       order that escaped it, such as one stored by the release before);</li>
 *   <li>the daily loss and drawdown limits the kernel applies ({@link RiskRules#dailyLossLimitPct()},
 *       {@link RiskRules#maxDrawdownPct()}, on marked equity);</li>
 *   <li>the fill price or the print at or beyond the order's stop (stopped out on the tick that opened it: the exit
 *       brain compares the print with the stop, so a print up to the slippage beyond the stop filled and was stopped out
 *       on the same tick until 2026-12-07, a round trip of costs for nothing: review 2026-12-07) or the fill price at or
 *       beyond its target (the gap took the whole edge);</li>
 *   <li>half the size when the account entered SOFT_DERISK after the approval (DESIGN §7: new entries at half size);</li>
 *   <li>re-sized when the loss at the stop from the fill price, costs included, is more than
 *       {@link RiskRules#entryGapTolerancePct()} (default {@value #DEFAULT_GAP_TOLERANCE_PCT} %) above the loss the
 *       kernel approved from the signal's price: to the approved loss, so the trade risks what the
 *       kernel allowed, with no more notional than approved ({@link #judge}).</li>
 *   <li>re-sized down when the fill's notional (fill price x size, what position state books as gross exposure) would
 *       take the account's gross exposure past {@link RiskRules#grossExposureCapPct()} of its realized equity (seed
 *       quant_engine rule, 130 %; the kernel's cap, {@link RiskKernel}): to the room left at the fill price; cancelled
 *       when no room is left. The kernel sizes to the cap at the signal's price; a SHORT filling nearer its stop (a
 *       higher price: a smaller loss at the stop, so rule 6 does not re-size it) or a LONG filling a little higher
 *       within the gap tolerance booked more notional than the cap allowed. Found in review 2 (2026-12-06): 120,000
 *       USD open elsewhere, a SHORT at 100 capped to 100 units filled at 104.4478, gross 130,444.78 &gt; 130,000.</li>
 * </ol>
 * Each of 1–4 cancels the entry (an {@code OrderRejected} naming why); 5, 6 and 7 change the fill's size (counted by the
 * venue, {@code qt.streams.node.records.counted}); 7 cancels it when the cap leaves no room. Every cancellation carries
 * its count's reason ({@link Verdict#countReason}, one of {@link #CANCEL_REASONS}), which the venue counts (until
 * 2026-12-06 these cancellations reached {@code trades.order.rejected} uncounted: found in review). Plain Java.
 */
public final class EntryAtFill {

    /** Count reason: the kill switch is on at the fill (rule 1). */
    public static final String KILL_SWITCH_ACTIVE = "entry_cancelled_kill_switch_active";
    /** Count reason: the account is in HARD_DERISK at the fill (rule 1). */
    public static final String HARD_DERISK = "entry_cancelled_hard_derisk";
    /** Count reason: an add to an open position while the account is in SOFT_DERISK (rule 1). */
    public static final String SOFT_DERISK_ADD = "entry_cancelled_soft_derisk_add";
    /** Count reason: the kill switch tripped after the entry was placed, even if reset since (rule 2). */
    public static final String KILL_SWITCH_SINCE_PLACED = "entry_cancelled_kill_switch_since_placed";
    /** Count reason: the day's loss of marked equity reached the daily loss limit (rule 3). */
    public static final String DAILY_LOSS_LIMIT = "entry_cancelled_daily_loss_limit";
    /** Count reason: the drawdown of marked equity reached the drawdown limit (rule 3). */
    public static final String DRAWDOWN_LIMIT = "entry_cancelled_drawdown_limit";
    /** Count reason: the fill price or the print is at or beyond the order's stop (rule 4). */
    public static final String AT_STOP = "entry_cancelled_fill_at_stop";
    /** Count reason: the fill price is at or beyond the order's target (rule 4). */
    public static final String AT_TARGET = "entry_cancelled_fill_at_target";
    /** Count reason: nothing of the size is left after halving or re-sizing (rules 5, 6; rounding to 0). */
    public static final String NO_SIZE_LEFT = "entry_cancelled_no_size_left";
    /** Count reason: the gross exposure cap leaves no room at the fill price (rule 7). */
    public static final String GROSS_CAP = "entry_cancelled_gross_cap";
    /** Every count reason a cancellation by {@link #judge} carries (the venue declares them). */
    public static final java.util.Set<String> CANCEL_REASONS = java.util.Set.of(KILL_SWITCH_ACTIVE, HARD_DERISK,
            SOFT_DERISK_ADD, KILL_SWITCH_SINCE_PLACED, DAILY_LOSS_LIMIT, DRAWDOWN_LIMIT, AT_STOP, AT_TARGET, NO_SIZE_LEFT,
            GROSS_CAP);

    /**
     * The default of the rule {@code entry-gap-tolerance-pct} ({@link RiskRules#entryGapTolerancePct()}, optional): how
     * far, percent, the loss at the stop from the fill price may exceed the loss the kernel approved before the entry is
     * re-sized. The kernel's costs already cover the entry's slippage, so a fill at the signal's
     * price is at 1.0x; on the bundled Bitstamp minute trades (the README replay, measured 2026-12-06) three of 26
     * entries went beyond it, to 1.34x, 1.49x and 1.60x the approved loss, the others were at 0.27–1.03x.
     */
    public static final double DEFAULT_GAP_TOLERANCE_PCT = 10;

    private EntryAtFill() {
    }

    /**
     * What happens to a pending entry at its fill.
     *
     * @param cancelled why it does not fill ({@code cancelled: ...}), or null when it fills
     * @param size      the size it fills at (units of the instrument): the order's, halved ({@link #halved}) and/or
     *                  re-sized ({@link #resized}); 0 when cancelled
     * @param halved    true when halved because the account entered SOFT_DERISK after the approval
     * @param resized   true when re-sized to the approved loss at the stop ({@link RiskRules#entryGapTolerancePct()})
     * @param capped    true when re-sized down to the gross exposure cap at the fill price
     *                  ({@link RiskRules#grossExposureCapPct()})
     * @param countReason the cancellation's count reason ({@code qt.streams.node.records.counted}, one of
     *                  {@link #CANCEL_REASONS}, snake_case), or null when it fills
     */
    public record Verdict(String cancelled, double size, boolean halved, boolean resized, boolean capped, String countReason) {

        /** A fill's verdict (no cancellation, so no {@code countReason}). */
        public Verdict(String cancelled, double size, boolean halved, boolean resized, boolean capped) {
            this(cancelled, size, halved, resized, capped, null);
        }

        /** A fill's verdict with no re-size to the gross exposure cap ({@code capped} false). */
        public Verdict(String cancelled, double size, boolean halved, boolean resized) {
            this(cancelled, size, halved, resized, false);
        }

        static Verdict cancel(String why, String countReason) {
            return new Verdict("cancelled: " + why, 0, false, false, false, countReason);
        }
    }

    /**
     * @param o            the pending entry
     * @param fillPrice    the price it would fill at (the print, slipped against the trader), USD
     * @param account      the account as of the print's day
     * @param positionOpen whether its symbol has an open position (the entry is an add)
     * @param rules        the risk rules (daily loss and drawdown limits, the entry gap tolerance, the gross exposure
     *                     cap)
     * @param slippageBps  the venue's slippage, basis points of price
     * @param feeBps       the venue's fee, basis points of notional
     * @return the verdict. Re-sizing from {@code size} to {@code size x approved / atFill} (loss per unit at the stop,
     *         {@link #approvedLossPerUnit}, {@link #lossPerUnitAtFill}) also keeps the notional within what was
     *         approved: a fill further from the stop than the signal's price is, on the stop's side, a higher price for a
     *         LONG and a lower one for a SHORT, and {@code size' x fill <= size x reference} then holds. Then the
     *         size is at most {@code (equity x grossExposureCapPct / 100 - grossExposure) / fill} (realized equity and
     *         the entry notional of the open positions, an add's own position included, as of the fill), so the fill
     *         keeps the gross exposure within the cap
     */
    public static Verdict judge(PendingOrder o, double fillPrice, Account account, boolean positionOpen, RiskRules rules,
                                double slippageBps, double feeBps) {
        return judge(o, fillPrice, fillPrice, account, positionOpen, rules, slippageBps, feeBps);
    }

    /**
     * As {@link #judge(PendingOrder, double, Account, boolean, RiskRules, double, double)}, with the print the entry fills
     * on, whose price the exit brain compares with the stop on the same tick (rule 4).
     *
     * @param printPrice the print's price (the tick's, before slippage), USD
     */
    public static Verdict judge(PendingOrder o, double fillPrice, double printPrice, Account account, boolean positionOpen,
                                RiskRules rules, double slippageBps, double feeBps) {
        String halted = EntryHalts.noNewEntries(account);
        if (halted != null) {
            return Verdict.cancel(halted, account.killSwitch() ? KILL_SWITCH_ACTIVE : HARD_DERISK);
        }
        halted = positionOpen ? EntryHalts.noAdds(account) : null;
        if (halted != null) {
            return Verdict.cancel(halted, SOFT_DERISK_ADD);
        }
        if (o.killSwitches() != null && account.killSwitches() > o.killSwitches()) {
            return Verdict.cancel(String.format("the kill switch tripped after the entry was placed (activations %d -> %d)",
                    o.killSwitches(), account.killSwitches()), KILL_SWITCH_SINCE_PLACED);
        }
        if (account.dailyLossPct() >= rules.dailyLossLimitPct()) {
            return Verdict.cancel("daily loss " + PercentFigure.of(account.dailyLossPct()) + "% reached the "
                    + PercentFigure.of(rules.dailyLossLimitPct()) + "% limit", DAILY_LOSS_LIMIT);
        }
        if (account.drawdownPct() >= rules.maxDrawdownPct()) {
            return Verdict.cancel("drawdown " + PercentFigure.of(account.drawdownPct()) + "% reached the "
                    + PercentFigure.of(rules.maxDrawdownPct()) + "% limit", DRAWDOWN_LIMIT);
        }
        boolean isLong = o.direction() == Direction.LONG;
        if (isLong ? fillPrice <= o.stopLoss() : fillPrice >= o.stopLoss()) {
            return Verdict.cancel(String.format("the fill price %.4f is at or beyond the order's stop %.4f",
                    fillPrice, o.stopLoss()), AT_STOP);
        }
        if (isLong ? printPrice <= o.stopLoss() : printPrice >= o.stopLoss()) {
            return Verdict.cancel(String.format("the print %.4f is at or beyond the order's stop %.4f: the position would "
                    + "be stopped out on the tick that opens it", printPrice, o.stopLoss()), AT_STOP);
        }
        if (o.takeProfit() > 0 && (isLong ? fillPrice >= o.takeProfit() : fillPrice <= o.takeProfit())) {
            return Verdict.cancel(String.format("the fill price %.4f is at or beyond the order's target %.4f",
                    fillPrice, o.takeProfit()), AT_TARGET);
        }
        double size = o.size();
        boolean halved = account.deRisk() == DeRiskState.SOFT_DERISK && o.deRisk() == DeRiskState.NORMAL;
        if (halved) {
            // half in whole 1e-6 steps (an odd count rounds down): floor(x * 1e6) / 1e6 of a half already on the grid
            // lost a step for ~1.5 % of even sizes, 32.30638 * 1e6 being 32306379.99… (found in review, 2026-12-07)
            size = (Math.round(size * 1e6) / 2) / 1e6;
        }
        boolean resized = false;
        if (o.referencePrice() > 0) {
            double approved = approvedLossPerUnit(o.referencePrice(), o.stopLoss(), slippageBps, feeBps);
            double atFill = lossPerUnitAtFill(fillPrice, o.stopLoss(), slippageBps, feeBps);
            if (atFill > approved * (1 + rules.entryGapTolerancePct() / 100)) {
                size = RiskKernel.round6(size * approved / atFill);
                resized = true;
            }
        }
        if (!(size > 0)) {
            return Verdict.cancel(String.format("nothing left of size %.6f after halving or re-sizing", o.size()), NO_SIZE_LEFT);
        }
        double room = account.equityUsd() * rules.grossExposureCapPct() / 100 - account.grossExposureUsd();
        boolean capped = false;
        if (size * fillPrice > room) {
            double cappedSize = Math.max(0, RiskKernel.round6(room / fillPrice));
            if (!(cappedSize > 0)) {
                return Verdict.cancel(String.format("gross exposure cap %s%% reached at the fill (%.2f USD open, %.2f USD "
                                + "allowed)", PercentFigure.of(rules.grossExposureCapPct()), account.grossExposureUsd(),
                        account.equityUsd() * rules.grossExposureCapPct() / 100), GROSS_CAP);
            }
            size = cappedSize;
            capped = true;
        }
        return new Verdict(null, size, halved, resized, capped);
    }

    /**
     * @return the loss per unit at the stop the kernel approved from the signal's price {@code reference}, USD: the
     *         distance plus both fills' costs on about their prices ({@link RiskKernel#lossPerUnitAtStop})
     */
    static double approvedLossPerUnit(double reference, double stop, double slippageBps, double feeBps) {
        return RiskKernel.lossPerUnitAtStop(reference, stop, slippageBps + feeBps);
    }

    /**
     * @return the loss per unit at the stop from the fill price {@code fill} (already slipped), USD: the distance, the
     *         entry's fee and the exit's slippage and fee at the stop
     */
    static double lossPerUnitAtFill(double fill, double stop, double slippageBps, double feeBps) {
        return Math.abs(fill - stop) + fill * feeBps / 10_000 + stop * (slippageBps + feeBps) / 10_000;
    }
}
