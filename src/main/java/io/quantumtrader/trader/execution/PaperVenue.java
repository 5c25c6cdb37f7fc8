package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;

/**
 * The paper venue's fill model: an order fills at the price of the next tick after it was placed, moved against the
 * trader by {@code slippageBps}, and pays {@code feeBps} of the notional. A take-profit exit is an immediate-or-cancel
 * limit order at the position's target ({@link #limitNotReached}): it fills only on a tick at or beyond the target, at
 * the target or better, and is cancelled otherwise. Plain Java.
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
        if (takeProfitLimit(order)) {
            // a limit order fills at its limit or better: the slippage never takes it through the limit
            price = buy ? Math.min(price, order.takeProfit()) : Math.max(price, order.takeProfit());
        }
        double fee = price * order.size() * feeBps / 10_000;
        double booked = roundPrice(price);
        if (takeProfitLimit(order) && (buy ? booked > order.takeProfit() : booked < order.takeProfit())) {
            // the limit or better after the rounding too: rounded to 0.0001 a target of 829.67043 filled at 829.6704,
            // below it (found in review, 2026-12-07)
            booked = order.takeProfit();
        }
        return new OrderFilled("fill-" + order.orderId(), order.requestId(), order.positionId(), order.symbol(),
                order.direction(), order.purpose(), order.size(), booked, round(fee),
                round(Math.abs(price - tick.price()) * order.size()),
                tick.timestamp(), order.stopLoss(), order.takeProfit(),
                order.reason() == null ? null : io.quantumtrader.trader.events.ExitReason.valueOf(order.reason()));
    }

    /**
     * A take-profit exit ({@code reason} TAKE_PROFIT, limit in {@code takeProfit}) is an immediate-or-cancel limit
     * order: placed when a tick touched the target, it fills on the next tick only when that tick's price is at or
     * beyond the target, at the target or better ({@link #fill}), and is cancelled otherwise. Before 2026-12-05 it filled
     * as a market order, so a take profit could close below its target, at a loss (found in review); the first version
     * of this rule required the slipped price beyond the target, so a price resting within the slippage of the target
     * never filled and the exit brain placed the order again on every tick (20 cancellations in the replay, 14 of them
     * for one position; found in review).
     *
     * @return why {@code order} is cancelled instead of filled on {@code tick} (a LONG's exit on a tick below its target,
     *         a SHORT's above), or null
     */
    public static String limitNotReached(PendingOrder order, PriceTick tick) {
        if (!takeProfitLimit(order)) {
            return null;
        }
        boolean reached = order.direction() == Direction.LONG ? tick.price() >= order.takeProfit()
                : tick.price() <= order.takeProfit();
        return reached ? null : String.format("cancelled: the take profit's limit %.4f was not reached (the tick traded at %.4f)",
                order.takeProfit(), tick.price());
    }

    private static boolean takeProfitLimit(PendingOrder order) {
        return order.purpose() == OrderFilled.Purpose.EXIT && "TAKE_PROFIT".equals(order.reason()) && order.takeProfit() > 0;
    }

    /**
     * @return a fill price rounded to 0.0001 (USD), or, below 1, to 5 significant digits: rounded to 0.0001 a price of
     *         0.00004 filled at 0 (found in review, 2026-12-06: an exit there booked its whole notional as a loss), and
     *         at 0.08 the rounding was as large as the slippage; HARD_DERISK's reduction estimates its fill with it
     *         ({@code CapReduction})
     */
    public static double roundPrice(double v) {
        if (v >= 1 || !(v > 0)) {
            return round(v);
        }
        int decimals = 4 - (int) Math.floor(Math.log10(v));
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
