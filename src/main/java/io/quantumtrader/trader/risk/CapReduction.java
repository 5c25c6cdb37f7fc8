package io.quantumtrader.trader.risk;

/**
 * HARD_DERISK's "reduce to the cap" (DESIGN §7; docs/TRADING-PIPELINE.md "De-risk states"): while the entry notional of
 * the open positions, less what pending exit orders already close, exceeds the gross exposure cap
 * ({@code gross-exposure-cap-pct} of realized equity), positions are reduced — partially — until it no longer does,
 * each reduction sized so that the book is at the cap after its own fill, whose realized P&amp;L moves the cap
 * ({@link #closeUsd(double, double, double, double, double)}).
 * A position can only be reduced on its own tick (the paper venue fills at the symbol's next print), so the excess is
 * taken from <b>the first position to tick</b>, as much as it holds, then from the next to tick. A rule that waited for
 * the largest position (found in review, 2026-12-06) left the book over the cap for as long as that symbol did not
 * trade (a halt, a feed gap), while smaller positions that traded were kept. Plain Java.
 */
public final class CapReduction {

    /** Sizes are in units of this, base currency (the position sizer's precision): a reduction is rounded up to it. */
    public static final double SIZE_STEP = 1e-6;

    /** {@link #SIZE_STEP}s in one unit of base currency. */
    private static final double STEPS_PER_UNIT = 1_000_000;

    /**
     * An excess under this (USD) is not reduced ({@link #closeUsd(double, double, double, double, double)}): a fill
     * worse than its estimate (the price moved between the deciding tick and the fill) may leave the book a fraction of
     * a cent over the cap, not worth a further reduction of one size step. A reduction filled at the price it was decided
     * on leaves the book at or below the cap: its estimate books the venue's rounded price and is sized with the
     * booking's rounding ({@link #bookingRoundingUsd}); until 2026-12-06 it relied on this tolerance for that rounding,
     * which was more than a cent at caps above 200 % or at prices where the 0.0001 USD price step is large (41.96 USD
     * over for 239,752 units at 1.514; found in review).
     */
    public static final double CENT_USD = 0.01;

    private CapReduction() {
    }

    /**
     * @param excessUsd   entry notional of the open positions not already being closed, less the cap, USD (&le; 0:
     *                    nothing to reduce)
     * @param notionalUsd entry notional of the position whose tick this is (no exit order pending), USD
     * @return the entry notional of that position to close now, USD: from 0 (no excess) to its whole notional
     */
    public static double closeUsd(double excessUsd, double notionalUsd) {
        return Math.max(0, Math.min(notionalUsd, excessUsd));
    }

    /**
     * The entry notional to close so that the book is within the cap <em>after</em> the reduction's fill: its realized
     * P&amp;L moves realized equity, and the cap ({@code capPct} of it) with it. Closing {@code q} units at a loss of
     * {@code lossPerUnitUsd} each lowers the gross by {@code q x entryPrice} and the cap by {@code capPct / 100 x q x
     * lossPerUnitUsd}, so {@code q >= excessUsd / (entryPrice - capPct / 100 x lossPerUnitUsd)}. Sized on the excess
     * alone ({@link #closeUsd(double, double)}), a losing reduction left the book over the lowered cap and the next
     * tick reduced again, a chain of ever smaller reductions down to a millionth of a unit (found in review,
     * 2026-12-06: five for one reduction of a position 3 % down at a 60 % cap).
     *
     * @param excessUsd      entry notional of the open positions not already being closed, less the cap, USD
     * @param notionalUsd    entry notional of the position whose tick this is, USD
     * @param entryPrice     its average entry price, USD
     * @param capPct         the gross exposure cap, percent of realized equity
     * @param lossPerUnitUsd the loss the reduction realizes per unit closed, fees included, estimated at the tick
     *                       ({@link #lossPerUnitUsd}); negative for a gain (the cap rises: less is closed)
     * @return the entry notional of that position to close now, USD: from 0 (an excess under {@link #CENT_USD}) to its
     *         whole notional (also when closing all of it would not be enough)
     */
    public static double closeUsd(double excessUsd, double notionalUsd, double entryPrice, double capPct, double lossPerUnitUsd) {
        return closeUsd(excessUsd, 0, notionalUsd, entryPrice, capPct, lossPerUnitUsd);
    }

    /**
     * {@link #closeUsd(double, double, double, double, double)} sized for {@code excessUsd + roundingUsd}: the excess
     * decides whether to reduce (from {@link #CENT_USD}), the allowance for the booking's rounding
     * ({@link #bookingRoundingUsd}) only how much, so that the book ends at or below the cap once the fills are booked.
     *
     * @param roundingUsd what the rounding of the booked P&amp;L may take off the cap, USD (&ge; 0)
     */
    public static double closeUsd(double excessUsd, double roundingUsd, double notionalUsd, double entryPrice, double capPct,
                                  double lossPerUnitUsd) {
        if (!(excessUsd >= CENT_USD)) {
            return 0;   // the booked P&L is rounded to cents: less than a cent over the cap is no excess to reduce
        }
        double perUnit = entryPrice - capPct / 100 * lossPerUnitUsd;   // what closing a unit takes off the excess
        return perUnit > 0 ? Math.min(notionalUsd, (excessUsd + roundingUsd) / perUnit * entryPrice) : notionalUsd;
    }

    /**
     * The most a fill's booked P&amp;L can fall short of its estimate by rounding alone, USD: position state books a
     * close's P&amp;L rounded to cents (half a cent) with the venue's fee rounded to 0.0001 USD (half of that). The fill
     * price's own rounding is in the estimate ({@link #lossPerUnitUsd}).
     */
    static final double FILL_ROUNDING_USD = 0.005 + 0.00005;

    /**
     * What the rounding of booked P&amp;L may take off the cap: a reduction sized with it ends the book at or below the cap
     * when its fill (and the pending exits') are booked at the prices estimated. Without it (until 2026-12-06, found in
     * review) the book was left up to {@code capPct / 100} x half a cent per fill over the cap — more than a cent at
     * caps above 200 %, so a reduction of one size step followed.
     *
     * @param capPct the gross exposure cap, percent of realized equity
     * @param fills  the fills whose P&amp;L the reduction's estimate counts: its own and the pending exits'
     * @return USD
     */
    public static double bookingRoundingUsd(double capPct, int fills) {
        return capPct / 100 * FILL_ROUNDING_USD * fills;
    }

    /**
     * @param isLong       whether the position is LONG
     * @param entryPrice   its average entry price, USD
     * @param entryFeeUsd  its entry fees still open, USD (a unit closed carries {@code entryFeeUsd / size} away)
     * @param size         its size, base currency
     * @param price        the tick's price, USD
     * @param slippageBps  the venue's slippage, basis points of price (the exit sells a LONG below, buys a SHORT back
     *                     above)
     * @param feeBps       the venue's fee, basis points of notional
     * @return the loss a unit closed at {@code price} would realize, fees included, USD (negative for a gain), at the
     *         fill price the venue books ({@code PaperVenue.roundPrice} of the slipped price; the fee on the slipped
     *         price, as the venue charges it): the reduction fills at the next tick, so this is an estimate at the tick
     *         that decides it
     */
    public static double lossPerUnitUsd(boolean isLong, double entryPrice, double entryFeeUsd, double size, double price,
                                        double slippageBps, double feeBps) {
        double slip = price * slippageBps / 10_000;
        double fill = isLong ? price - slip : price + slip;
        // the price booked is the venue's, rounded (PaperVenue.roundPrice); its fee is on the price before rounding
        double booked = io.quantumtrader.trader.execution.PaperVenue.roundPrice(fill);
        return (isLong ? entryPrice - booked : booked - entryPrice) + entryFeeUsd / size + fill * feeBps / 10_000;
    }

    /**
     * The loss a unit of an exit order already pending will realize, as a reduction counts it (it lowers the cap: {@link
     * DeRisk#mustReduce(RiskRules, Account, double, double)}). A market exit (a stop, a reduction, any exit but a take
     * profit) at the position's mark with the venue's slippage, as {@link #lossPerUnitUsd} estimates a reduction's own.
     * A take profit is an immediate-or-cancel limit order: it fills at its limit or better, or not at all, so it is
     * counted <b>at its limit</b>, the least gain it can realize. Its position's mark is the print that placed it, at or
     * beyond the limit (the next print of its symbol fills or cancels it), so counted at the mark its gain was the most it
     * could be: until 2026-12-06 a take profit placed on a print at 10,500 with its limit at 10,200 counted 4,742.55 USD
     * of gain, filled at 10,200 for 1,798, and the reduction decided meanwhile left the book over the cap, reduced again
     * at the next print (found in review; {@code
     * OneTickDifferentialTest.aPendingTakeProfitsGainIsCountedAtItsLimitSoOneReductionBringsTheBookToTheCap}).
     *
     * @param isLong      whether the position is LONG
     * @param entryPrice  its average entry price, USD
     * @param entryFeeUsd its entry fees still open, USD
     * @param size        its size, base currency
     * @param markPrice   its mark, the last print of its symbol, USD
     * @param limitPrice  the take profit's limit, USD; 0 for a market exit
     * @param slippageBps the venue's slippage, basis points of price (a limit order fills at its limit or better: none)
     * @param feeBps      the venue's fee, basis points of notional
     * @return the loss per unit, fees included, USD (negative for a gain)
     */
    public static double pendingExitLossPerUnitUsd(boolean isLong, double entryPrice, double entryFeeUsd, double size,
                                                   double markPrice, double limitPrice, double slippageBps, double feeBps) {
        return limitPrice > 0 ? lossPerUnitUsd(isLong, entryPrice, entryFeeUsd, size, limitPrice, 0, feeBps)
                : lossPerUnitUsd(isLong, entryPrice, entryFeeUsd, size, markPrice, slippageBps, feeBps);
    }

    /**
     * @param closeUsd   entry notional to close ({@link #closeUsd}), USD
     * @param entryPrice the position's average entry price, USD
     * @param size       the position's size, base currency
     * @return the size to close: {@code closeUsd / entryPrice} rounded up to {@link #SIZE_STEP} (so that the exposure
     *         comes down to the cap, not just above it), the whole size when that leaves less than a step; 0 for none
     */
    public static double closeSize(double closeUsd, double entryPrice, double size) {
        if (!(closeUsd > 0)) {
            return 0;
        }
        // whole steps divided by the steps in a unit, not multiplied by SIZE_STEP (not exact in binary): 34444760 x 1e-6
        // is 34.444759999999995, which the exit order, its fill and the size left carried (found comparing with the
        // reference, 2026-12-06)
        double q = Math.ceil(closeUsd / entryPrice / SIZE_STEP - 1e-6) / STEPS_PER_UNIT;
        return q >= size - SIZE_STEP / 2 ? size : q;
    }
}
