package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;

import java.util.List;

/** What the paper venue did on one tick: fills and rejections, passed on with the tick to position state. */
public record VenueOutput(PriceTick tick, List<OrderFilled> fills, List<io.quantumtrader.trader.events.OrderRejected> rejected) {
}
