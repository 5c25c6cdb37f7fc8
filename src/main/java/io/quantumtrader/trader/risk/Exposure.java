package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.position.Position;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the portfolio holds and has on order, as the risk kernel sees it for one signal: pending (approved, not yet
 * filled) entry orders count toward exposure and toward the open-position limit, so two approvals before the first
 * fill cannot exceed the caps.
 *
 * @param open                the open position in the signal's symbol, or {@code null}
 * @param pendingEntrySymbols symbols with an entry order waiting for its fill
 * @param pendingNotionalUsd  size × reference price of every pending entry order, USD
 * @param pendingNewSymbols   symbols with a pending entry order and no open position (each will become a position)
 */
public record Exposure(Position open, Set<String> pendingEntrySymbols, double pendingNotionalUsd, int pendingNewSymbols) {

    /** @return nothing open, nothing pending */
    public static Exposure none() {
        return new Exposure(null, Set.of(), 0, 0);
    }

    /**
     * @param open        the open position in the signal's symbol, or {@code null}
     * @param orders      every pending order
     * @param hasPosition whether a symbol has an open position
     */
    public static Exposure of(Position open, Collection<PendingOrder> orders, Predicate<String> hasPosition) {
        Set<String> symbols = new TreeSet<>();
        double notional = 0;
        for (PendingOrder o : orders) {
            if (o.purpose() == OrderFilled.Purpose.ENTRY) {
                symbols.add(o.symbol());
                notional += o.size() * o.referencePrice();
            }
        }
        int fresh = (int) symbols.stream().filter(hasPosition.negate()).count();
        return new Exposure(open, symbols, notional, fresh);
    }
}
