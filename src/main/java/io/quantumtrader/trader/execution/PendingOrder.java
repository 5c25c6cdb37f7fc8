package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;

/**
 * An order waiting for the next tick (kept in the {@code orders} store).
 *
 * @param placedBy the input entry whose processing placed it ({@code <stream>/<entry id>}): it fills on a
 *                  later tick
 * @param stopLoss  protective stop for an entry, USD
 * @param takeProfit target for an entry, USD
 * @param reason    exit reason for an exit order, {@code null} for an entry
 * @param referencePrice the signal's entry price for an entry order (its pending notional is size × this), USD; 0 for
 *                  an exit
 */
public record PendingOrder(String orderId, String requestId, String positionId, String symbol, Direction direction,
                           OrderFilled.Purpose purpose, double size, double stopLoss, double takeProfit, String reason,
                           String placedBy, double referencePrice) {
}
