package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;

/**
 * The paper venue's fill model: an order fills at the price of the next tick after it was placed, moved against the
 * trader by {@code slippageBps}, and pays {@code feeBps} of the notional. Plain Java.
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

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
