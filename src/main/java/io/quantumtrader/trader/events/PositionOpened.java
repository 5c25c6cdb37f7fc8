package io.quantumtrader.trader.events;

/** {@code position.opened} (key: symbol). Prices in USD, size in BTC, {@code openedAt} epoch ms. */
public record PositionOpened(String positionId, String symbol, Direction direction, double size, double entryPrice,
                             double stopLoss, double takeProfit, double entryFeeUsd, long openedAt) {
}
