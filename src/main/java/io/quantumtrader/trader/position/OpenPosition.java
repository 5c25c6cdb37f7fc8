package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.PriceTick;

/**
 * A symbol's entry in the {@code open-positions} table: its open position, or {@code null} when it is flat (a
 * table value that stays, so the exit check's join sees every symbol that ever held a position).
 */
public record OpenPosition(Position position) {

    /** @return a flat symbol */
    public static OpenPosition flat() {
        return new OpenPosition(null);
    }

    /**
     * A tick joined with its symbol's table entry (the exit check's input).
     *
     * @param position the open position, or {@code null} when flat
     */
    public record AtTick(PriceTick tick, Position position) {
    }
}
