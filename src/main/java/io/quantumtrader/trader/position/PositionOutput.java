package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;

import java.util.List;

/**
 * What position state did on one tick: positions opened, marked and closed, a kill switch activation,
 * a change of the de-risk state ({@code null} when none), the tick's symbol's position after the fills ({@code held},
 * {@code null} when flat), and the pending entry orders the kill switch's activation or the account's entry into
 * HARD_DERISK cancelled ({@code cancelled}, of any symbol; empty unless {@code killSwitch} is set or {@code deRisk}
 * enters HARD_DERISK); {@code dailyReset}: the kill switch cleared by the start of a new UTC day
 * ({@code kill-switch-resets-daily}), audited; {@code null} when it did not.
 */
public record PositionOutput(PriceTick tick, List<PositionOpened> opened, List<PositionClosed> closed,
                             List<io.quantumtrader.trader.events.PositionUpdate> updates,
                             KillSwitch killSwitch, io.quantumtrader.trader.events.DeRiskUpdate deRisk, Position held,
                             List<io.quantumtrader.trader.events.OrderRejected> cancelled, KillSwitch dailyReset) {

    /** @return the tick's symbol's entry for the {@code open-positions} table after this tick's fills */
    public OpenPosition table() {
        return new OpenPosition(held);
    }
}
