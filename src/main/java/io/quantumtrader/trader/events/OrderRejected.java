package io.quantumtrader.trader.events;

/** {@code trades.order.rejected} (key: symbol): an order the venue refused or cancelled, with the reason. */
public record OrderRejected(String orderId, String requestId, String symbol, Direction direction, double size,
                            String reason, long rejectedAt) {
}
