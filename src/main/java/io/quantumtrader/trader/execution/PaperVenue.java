package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;

/**
 * The paper venue's fill model: an order fills at the price of the next tick after it was placed, moved against the
 * trader by {@code slippageBps}, and pays {@code feeBps} of the notional. A take-profit exit is an immediate-or-cancel
 * limit order at the position's target ({@link #limitNotReached}): it fills that way only when the fill price is at or
 * beyond the target, and is cancelled otherwise. Plain Java.
 *
 * @param slippageBps slippage, basis points of price
 * @param feeBps      fee, basis points of notional
 */
public record PaperVenue(double slippageBps, double feeBps) {

    /** @return 5 bps slippage, 10 bps fee */
    public static PaperVenue defaults() {
        return new PaperVenue(5, 10);
    }

    /** @return the fill of {@code order} on {@code tick} (a buy when entering LONG or exiting SHORT) */
    public OrderFilled fill(PendingOrder order, PriceTick tick) {
        boolean buy = (order.direction() == Direction.LONG) == (order.purpose() == OrderFilled.Purpose.ENTRY);
        double slip = tick.price() * slippageBps / 10_000;
        double price = buy ? tick.price() + slip : tick.price() - slip;
        double fee = price * order.size() * feeBps / 10_000;
        return new OrderFilled("fill-" + order.orderId(), order.requestId(), order.positionId(), order.symbol(),
                order.direction(), order.purpose(), order.size(), round(price), round(fee), round(slip * order.size()),
                tick.timestamp(), order.stopLoss(), order.takeProfit(),
                order.reason() == null ? null : io.quantumtrader.trader.events.ExitReason.valueOf(order.reason()));
    }

    /**
     * A take-profit exit ({@code reason} TAKE_PROFIT, limit in {@code takeProfit}) is a limit order: placed when a tick
     * touched the target, it must not fill worse than the target on the next one. Before 2026-12-05 it filled as a
     * market order, so a take profit could close below its target, at a loss (found in review).
     *
     * @param fill what {@link #fill} gives for {@code order} on the next tick
     * @return why the order is cancelled instead of filled (a LONG's exit below its target, a SHORT's above), or null
     */
    public static String limitNotReached(PendingOrder order, OrderFilled fill) {
        if (order.purpose() != OrderFilled.Purpose.EXIT || !"TAKE_PROFIT".equals(order.reason()) || !(order.takeProfit() > 0)) {
            return null;
        }
        boolean reached = order.direction() == Direction.LONG ? fill.price() >= order.takeProfit()
                : fill.price() <= order.takeProfit();
        return reached ? null : String.format("cancelled: the take profit's limit %.4f was not reached (the fill would be at %.4f)",
                order.takeProfit(), fill.price());
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
