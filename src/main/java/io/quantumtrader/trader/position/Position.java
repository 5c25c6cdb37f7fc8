package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.Direction;

/**
 * An open position (kept in the {@code positions} store, one per symbol: an add is merged into it, never replaces it).
 *
 * @param size        quantity, base currency
 * @param entryPrice  size-weighted average entry fill price, USD
 * @param entryFeeUsd fees paid on the entry fills, USD
 * @param closing     true once an exit order was placed (no second exit)
 * @param markPrice   the symbol's latest tick price the portfolio processed, USD: the position's mark for the account's
 *                    marked equity ({@link #markedUsd()}); the entry price until its first tick ({@code null}, from a
 *                    position stored before marks were kept, reads as the entry price)
 * @param realizedUsd the realized P&amp;L of the parts of this position closed so far (HARD_DERISK's reductions), fees
 *                    included, USD; 0 for a position never reduced ({@code null}, from a position stored before it was
 *                    kept, reads as 0)
 */
public record Position(String positionId, String symbol, Direction direction, double size, double entryPrice,
                       double stopLoss, double takeProfit, double entryFeeUsd, long openedAt, boolean closing,
                       Double markPrice, Double realizedUsd) {

    public Position {
        markPrice = markPrice == null || !(markPrice > 0) ? entryPrice : markPrice;   // boxed: stored before marks reads back
        realizedUsd = realizedUsd == null ? 0.0 : realizedUsd;
    }

    /** A position with no part closed yet, marked at {@code markPrice} (USD). */
    public Position(String positionId, String symbol, Direction direction, double size, double entryPrice,
                    double stopLoss, double takeProfit, double entryFeeUsd, long openedAt, boolean closing, Double markPrice) {
        this(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, closing, markPrice, 0.0);
    }

    /** A position marked at its entry price (not yet marked at a tick). */
    public Position(String positionId, String symbol, Direction direction, double size, double entryPrice,
                    double stopLoss, double takeProfit, double entryFeeUsd, long openedAt, boolean closing) {
        this(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, closing, entryPrice);
    }

    /** @return unrealized P&amp;L at {@code price}, USD (fees excluded) */
    public double unrealized(double price) {
        return (price - entryPrice) * size * (direction == Direction.LONG ? 1 : -1);
    }

    /**
     * @param size     quantity added, base currency
     * @param price    its fill price, USD
     * @param feeUsd   its fee, USD
     * @return this position with an add in the same direction: sizes summed, entry at the size-weighted average price,
     *         fees summed, stop and target kept
     */
    public Position add(double size, double price, double feeUsd) {
        double total = this.size + size;
        return new Position(positionId, symbol, direction, total, (entryPrice * this.size + price * size) / total,
                stopLoss, takeProfit, entryFeeUsd + feeUsd, openedAt, closing, markPrice, realizedUsd);
    }

    /** @return this position marked at {@code price}, USD (the symbol's latest tick) */
    public Position markedAt(double price) {
        return price == markPrice.doubleValue() ? this
                : new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, closing, price,
                        realizedUsd);
    }

    /**
     * @return what this position adds to the account's marked equity, USD: its unrealized P&amp;L at its mark less the
     *         entry fees already paid (closed at its mark it would realize this, less the exit fee)
     */
    public double markedUsd() {
        return unrealized(markPrice) - entryFeeUsd;
    }

    /** @return this position marked as closing */
    public Position closingNow() {
        return new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, true, markPrice,
                realizedUsd);
    }

    /**
     * @param size        quantity closed, base currency (less than {@link #size})
     * @param entryFeeUsd the part of {@link #entryFeeUsd} the closed quantity carries away, USD
     * @param pnlUsd      the realized P&amp;L of the part closed, fees included, USD
     * @return the rest of this position after a partial close (HARD_DERISK's reduction to the cap): same entry price,
     *         stop, target and mark, open again (no exit order pending), the part's P&amp;L added to {@link #realizedUsd}
     */
    public Position reduced(double size, double entryFeeUsd, double pnlUsd) {
        return new Position(positionId, symbol, direction, this.size - size, entryPrice, stopLoss, takeProfit,
                this.entryFeeUsd - entryFeeUsd, openedAt, false, markPrice, realizedUsd + pnlUsd);
    }

    /** @return this position open again, its exit order cancelled (a take profit whose limit was not reached) */
    public Position exitCancelled() {
        return new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, false, markPrice,
                realizedUsd);
    }
}
