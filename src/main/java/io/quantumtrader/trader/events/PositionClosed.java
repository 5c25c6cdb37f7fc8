package io.quantumtrader.trader.events;

/**
 * {@code position.closed} (key: symbol): a position closed, or a part of it ({@code partial}: HARD_DERISK's reduction to
 * the gross exposure cap, the rest staying open under the same position id). A position closed in parts publishes one
 * event per part, the last with {@code partial} false: count positions (trades, wins) on the events that are not
 * partial, and sum {@code realizedPnl} over all of them.
 *
 * @param size                the quantity this event closes, in the instrument's units
 * @param realizedPnl         this event's part: (exit − entry) × size × (+1 LONG / −1 SHORT) − its fees, USD
 * @param feesUsd             this part's entry fees (its share) and exit fee, USD
 * @param holdDurationMs      closedAt − openedAt
 * @param equityUsd           the account's equity (starting equity + realized P&amp;L) after this close, USD
 * @param partial             true when part of the position stays open ({@code remainingSize} &gt; 0); {@code null}
 *                            (an event written before it was published) reads as false
 * @param remainingSize       the quantity still open under this position id after this close, in the instrument's
 *                            units; 0 when the position is closed ({@code null} reads so)
 * @param positionRealizedPnl the position's realized P&amp;L over every close so far, this one included, USD: the
 *                            trade's P&amp;L on its last (not partial) event; {@code realizedPnl} for a position closed
 *                            at once ({@code null}, from an event written before it was published, reads so)
 */
public record PositionClosed(String positionId, String account, String symbol, Direction direction, double size,
                             double entryPrice, double exitPrice, double realizedPnl, double feesUsd, long holdDurationMs,
                             ExitReason exitReason, long openedAt, long closedAt, double equityUsd,
                             Boolean partial, Double remainingSize, Double positionRealizedPnl) {

    /**
     * An event written before 2026-12-06 has none of the last three fields: it reads as a whole close (not partial,
     * nothing remaining, its P&amp;L the position's). Boxed for that reason: the serde refuses a missing primitive
     * ({@code FAIL_ON_NULL_FOR_PRIMITIVES}), and such events, unread at an upgrade, were dead-lettered (found in review,
     * 2026-12-06).
     *
     * @throws IllegalArgumentException when a size, price or USD figure is not a finite number
     */
    public PositionClosed {
        partial = partial != null && partial;
        remainingSize = remainingSize == null ? 0.0 : remainingSize;
        positionRealizedPnl = positionRealizedPnl == null ? realizedPnl : positionRealizedPnl;
        // a NaN read from "NaN" in a foreign entry made the day's realized P&L NaN, and every later status of that day
        // said 0.00 USD, not breached (found in review, 2026-12-08: NonFiniteClosedPositionTest): refused at the source
        double[] figures = {size, entryPrice, exitPrice, realizedPnl, feesUsd, equityUsd, remainingSize, positionRealizedPnl};
        for (double figure : figures) {
            if (!Double.isFinite(figure)) {
                throw new IllegalArgumentException("a closed position's sizes, prices and USD figures are finite numbers, "
                        + "not " + figure);
            }
        }
    }

    /** A position closed at once, whole: not partial, nothing remaining, its P&amp;L the position's. */
    public PositionClosed(String positionId, String account, String symbol, Direction direction, double size,
                          double entryPrice, double exitPrice, double realizedPnl, double feesUsd, long holdDurationMs,
                          ExitReason exitReason, long openedAt, long closedAt, double equityUsd) {
        this(positionId, account, symbol, direction, size, entryPrice, exitPrice, realizedPnl, feesUsd, holdDurationMs,
                exitReason, openedAt, closedAt, equityUsd, false, 0.0, realizedPnl);
    }
}
