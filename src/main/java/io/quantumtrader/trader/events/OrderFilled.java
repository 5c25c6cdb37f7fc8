package io.quantumtrader.trader.events;

/**
 * {@code trades.order.filled}: a paper fill (key: symbol).
 *
 * @param purpose     ENTRY (opens a position) or EXIT (closes one)
 * @param price       fill price including slippage, USD
 * @param feeUsd      fee, USD
 * @param slippageUsd slippage cost versus the tick price, USD
 * @param filledAt    event time of the tick it filled on, epoch ms
 * @param stopLoss    the entry's protective stop, USD (0 for exits)
 * @param takeProfit  the entry's target, USD (0 for exits)
 * @param exitReason  why an exit was placed ({@code null} for entries)
 */
public record OrderFilled(String orderId, String requestId, String positionId, String symbol, Direction direction,
                          Purpose purpose, double size, double price, double feeUsd, double slippageUsd, long filledAt,
                          double stopLoss, double takeProfit, ExitReason exitReason) {

    /** Why an order exists. */
    public enum Purpose { ENTRY, EXIT }
}
