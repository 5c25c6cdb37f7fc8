package io.quantumtrader.trader.risk;

import java.util.Comparator;
import java.util.Map;

/**
 * HARD_DERISK's "reduce to the cap" (DESIGN §7; docs/TRADING-PIPELINE.md "De-risk states"): while the entry notional of
 * the open positions, less what pending exit orders already close, exceeds the gross exposure cap
 * ({@code gross-exposure-cap-pct} of realized equity), positions are reduced — partially — until it no longer does.
 * The excess is taken from the <b>largest position first</b> (by entry notional; ties by symbol), then the next: the
 * largest position carries the most of the account's exposure, and reducing it first touches the fewest positions.
 * Each position is reduced on its own next tick (the exit brain sees one symbol's tick at a time), by this position's
 * share of that allocation. Plain Java.
 */
public final class CapReduction {

    /** Sizes are in units of this, base currency (the position sizer's precision): a reduction is rounded up to it. */
    public static final double SIZE_STEP = 1e-6;

    private CapReduction() {
    }

    /**
     * @param excessUsd entry notional of the open positions not already being closed, less the cap, USD (&le; 0:
     *                  nothing to reduce)
     * @param notionals entry notional of each open position without a pending exit order, USD, by symbol
     * @param symbol    the position to decide for
     * @return the entry notional of {@code symbol}'s position to close now, USD: from 0 (a larger position carries the
     *         excess, or there is none) to its whole notional
     */
    public static double closeUsd(double excessUsd, Map<String, Double> notionals, String symbol) {
        double remaining = excessUsd;
        for (Map.Entry<String, Double> e : notionals.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList()) {
            double share = Math.max(0, Math.min(e.getValue(), remaining));
            if (e.getKey().equals(symbol)) {
                return share;
            }
            remaining -= share;
        }
        return 0;
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
