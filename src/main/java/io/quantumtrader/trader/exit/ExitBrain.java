package io.quantumtrader.trader.exit;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.position.Position;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides when an open position should be closed, checked on every tick (first match wins): kill switch, stop loss
 * touched, take profit touched, held longer than {@code maxHold}. Plain Java.
 *
 * @param maxHold time exit
 */
public record ExitBrain(Duration maxHold) {

    /** @return 4 hours maximum hold */
    public static ExitBrain defaults() {
        return new ExitBrain(Duration.ofHours(4));
    }

    /** @return the exit to take at the next tick, if any */
    public Optional<ExitDecision> check(Position p, PriceTick tick, boolean killSwitch) {
        if (p.closing()) {
            return Optional.empty();
        }
        boolean isLong = p.direction() == Direction.LONG;
        ExitReason reason = killSwitch ? ExitReason.KILL_SWITCH
                : (isLong ? tick.price() <= p.stopLoss() : tick.price() >= p.stopLoss()) ? ExitReason.STOP_LOSS
                : (isLong ? tick.price() >= p.takeProfit() : tick.price() <= p.takeProfit()) ? ExitReason.TAKE_PROFIT
                : tick.timestamp() - p.openedAt() >= maxHold.toMillis() ? ExitReason.TIME_EXIT
                : null;
        return reason == null ? Optional.empty()
                : Optional.of(new ExitDecision(p.positionId(), p.symbol(), reason, tick.price(), tick.timestamp()));
    }
}
