package io.quantumtrader.trader.events;

/**
 * {@code position.state.update} (key: symbol): an open position marked to a tick.
 *
 * @param unrealizedPnl (price − entry) × size × (+1 LONG / −1 SHORT), fees excluded, USD
 */
public record PositionUpdate(String positionId, String symbol, Direction direction, double size, double entryPrice,
                             double markPrice, double unrealizedPnl, long markedAt) {
}
