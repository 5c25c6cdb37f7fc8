package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.Direction;

/**
 * An open position (kept in the {@code positions} store, one per symbol: an add is merged into it, never replaces it).
 *
 * @param closing true once an exit order was placed (no second exit)
 */
public record Position(String positionId, String symbol, Direction direction, double size, double entryPrice,
                       double stopLoss, double takeProfit, double entryFeeUsd, long openedAt, boolean closing) {

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
                stopLoss, takeProfit, entryFeeUsd + feeUsd, openedAt, closing);
    }

    /** @return this position marked as closing */
    public Position closingNow() {
        return new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, true);
    }

    /** @return this position open again, its exit order cancelled (a take profit whose limit was not reached) */
    public Position exitCancelled() {
        return new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, false);
    }
}
