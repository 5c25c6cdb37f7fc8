package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.Direction;

/**
 * An open position (kept in the {@code positions} store, one per symbol).
 *
 * @param closing true once an exit order was placed (no second exit)
 */
public record Position(String positionId, String symbol, Direction direction, double size, double entryPrice,
                       double stopLoss, double takeProfit, double entryFeeUsd, long openedAt, boolean closing) {

    /** @return unrealized P&amp;L at {@code price}, USD (fees excluded) */
    public double unrealized(double price) {
        return (price - entryPrice) * size * (direction == Direction.LONG ? 1 : -1);
    }

    /** @return this position marked as closing */
    public Position closingNow() {
        return new Position(positionId, symbol, direction, size, entryPrice, stopLoss, takeProfit, entryFeeUsd, openedAt, true);
    }
}
