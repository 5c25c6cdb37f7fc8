package io.quantumtrader.trader.risk;

/**
 * HARD_DERISK's "reduce to the cap" (DESIGN §7; docs/TRADING-PIPELINE.md "De-risk states"): while the entry notional of
 * the open positions, less what pending exit orders already close, exceeds the gross exposure cap
 * ({@code gross-exposure-cap-pct} of realized equity), positions are reduced — partially — until it no longer does.
 * A position can only be reduced on its own tick (the paper venue fills at the symbol's next print), so the excess is
 * taken from <b>the first position to tick</b>, as much as it holds, then from the next to tick. A rule that waited for
 * the largest position (found in review, 2026-12-06) left the book over the cap for as long as that symbol did not
 * trade (a halt, a feed gap), while smaller positions that traded were kept. Plain Java.
 */
public final class CapReduction {

    /** Sizes are in units of this, base currency (the position sizer's precision): a reduction is rounded up to it. */
    public static final double SIZE_STEP = 1e-6;

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
        double q = Math.ceil(closeUsd / entryPrice / SIZE_STEP - 1e-6) * SIZE_STEP;
        return q >= size - SIZE_STEP / 2 ? size : q;
    }
}
