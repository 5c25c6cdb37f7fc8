package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;

import java.util.List;

/**
 * What the paper venue did on one tick: fills and rejections, passed on with the tick to position state, and the
 * entries it filled at another size than approved ({@code resized}, audited; empty when none, also when read without
 * it).
 */
public record VenueOutput(PriceTick tick, List<OrderFilled> fills, List<io.quantumtrader.trader.events.OrderRejected> rejected,
                          List<EntryResize> resized) {

    public VenueOutput {
        resized = resized == null ? List.of() : resized;
    }

    /** Fills and rejections, no entry re-sized. */
    public VenueOutput(PriceTick tick, List<OrderFilled> fills, List<io.quantumtrader.trader.events.OrderRejected> rejected) {
        this(tick, fills, rejected, List.of());
    }
}
