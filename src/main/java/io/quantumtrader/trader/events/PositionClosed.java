package io.quantumtrader.trader.events;

/**
 * {@code position.closed} (key: symbol).
 *
 * @param realizedPnl    (exit − entry) × size × (+1 LONG / −1 SHORT) − fees, USD
 * @param feesUsd        entry and exit fees, USD
 * @param holdDurationMs closedAt − openedAt
 * @param equityUsd      the account's equity (starting equity + realized P&amp;L) after this close, USD
 */
public record PositionClosed(String positionId, String account, String symbol, Direction direction, double size,
                             double entryPrice, double exitPrice, double realizedPnl, double feesUsd, long holdDurationMs,
                             ExitReason exitReason, long openedAt, long closedAt, double equityUsd) {
}
