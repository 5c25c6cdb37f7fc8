package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.risk.DeRiskState;

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
 * @param killSwitches for an entry, the account's kill switch activations when it was placed (the venue cancels it if
 *                  the switch tripped since: {@link io.quantumtrader.trader.risk.EntryAtFill}); null for an exit or an
 *                  order stored before 2026-12-06 (not checked)
 * @param deRisk    for an entry, the account's de-risk state when it was placed (an entry placed in NORMAL fills at half
 *                  size in SOFT_DERISK); null for an exit or an order stored before 2026-12-06 (not checked)
 * @param placedAtMs for an entry, the event time of the request that placed it, epoch ms: it fills on no print stamped
 *                  before it and expires {@link io.quantumtrader.trader.risk.RiskRules#pendingEntryExpiryCandles()}
 *                  candles after it; null for an exit or an order stored before 2026-12-07 (neither checked)
 */
public record PendingOrder(String orderId, String requestId, String positionId, String symbol, Direction direction,
                           OrderFilled.Purpose purpose, double size, double stopLoss, double takeProfit, String reason,
                           String placedBy, double referencePrice, Integer killSwitches, DeRiskState deRisk,
                           Long placedAtMs) {

    /** An order without its placement time ({@code placedAtMs} null: an exit, or an entry stored before 2026-12-07). */
    public PendingOrder(String orderId, String requestId, String positionId, String symbol, Direction direction,
                        OrderFilled.Purpose purpose, double size, double stopLoss, double takeProfit, String reason,
                        String placedBy, double referencePrice, Integer killSwitches, DeRiskState deRisk) {
        this(orderId, requestId, positionId, symbol, direction, purpose, size, stopLoss, takeProfit, reason, placedBy,
                referencePrice, killSwitches, deRisk, null);
    }

    /** An order without the account's state at its placement (an exit; {@code killSwitches} and {@code deRisk} null). */
    public PendingOrder(String orderId, String requestId, String positionId, String symbol, Direction direction,
                        OrderFilled.Purpose purpose, double size, double stopLoss, double takeProfit, String reason,
                        String placedBy, double referencePrice) {
        this(orderId, requestId, positionId, symbol, direction, purpose, size, stopLoss, takeProfit, reason, placedBy,
                referencePrice, null, null, null);
    }

    /**
     * @param why  why it is cancelled (the event's reason)
     * @param atMs when, epoch ms
     * @return this order's cancellation
     */
    public io.quantumtrader.trader.events.OrderRejected cancellation(String why, long atMs) {
        return new io.quantumtrader.trader.events.OrderRejected(orderId, requestId, symbol, direction, size, why, atMs);
    }

    /** @return this order with another size (units of the instrument) */
    public PendingOrder withSize(double newSize) {
        return new PendingOrder(orderId, requestId, positionId, symbol, direction, purpose, newSize, stopLoss, takeProfit,
                reason, placedBy, referencePrice, killSwitches, deRisk, placedAtMs);
    }
}
