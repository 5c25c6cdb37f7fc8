package io.quantumtrader.trader.exit;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.position.Position;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides when an open position should be closed, checked on every tick (first match wins): kill switch, stop loss
 * touched, take profit touched, a volatility spike (the symbol's latest regime is CHAOTIC), the trend gone (latest
 * regime RANGING with confidence at least {@code regimeExitConfidence}), held longer than {@code maxHold}. Plain Java.
 *
 * @param maxHold              time exit
 * @param regimeExitConfidence confidence of a RANGING regime that ends a trend trade (0..1)
 */
public record ExitBrain(Duration maxHold, double regimeExitConfidence) {

    /** @return 4 hours maximum hold, regime exit at RANGING confidence 0.9 */
    public static ExitBrain defaults() {
        return new ExitBrain(Duration.ofHours(4), 0.9);
    }

    /**
     * @param maxHoldCandles the time exit in candles ({@code max-hold-candles} of the risk rules, at least 1)
     * @param candleSize     the candle size
     * @return a maximum hold of {@code maxHoldCandles} candles (240 one-minute candles: {@link #defaults()}'s 4 hours),
     *         regime exit at RANGING confidence 0.9
     */
    public static ExitBrain forCandles(int maxHoldCandles, Duration candleSize) {
        return new ExitBrain(candleSize.multipliedBy(maxHoldCandles), defaults().regimeExitConfidence());
    }

    /** @return the exit to take at the next tick, if any (no regime known: no regime or volatility exit) */
    public Optional<ExitDecision> check(Position p, PriceTick tick, boolean killSwitch) {
        return check(p, tick, killSwitch, null);
    }

    /** @param regime the symbol's latest regime update, or {@code null} */
    public Optional<ExitDecision> check(Position p, PriceTick tick, boolean killSwitch, RegimeUpdate regime) {
        if (p.closing()) {
            return Optional.empty();
        }
        boolean isLong = p.direction() == Direction.LONG;
        // a print stamped before the position opened (a feed's late print) is of a market the position was not in: it
        // neither stops it out nor takes its profit (found in review, 2026-12-07: it did, and the close was booked before
        // the open, a negative hold)
        boolean current = tick.timestamp() >= p.openedAt();
        ExitReason reason = killSwitch ? ExitReason.KILL_SWITCH
                : current && (isLong ? tick.price() <= p.stopLoss() : tick.price() >= p.stopLoss()) ? ExitReason.STOP_LOSS
                : current && (isLong ? tick.price() >= p.takeProfit() : tick.price() <= p.takeProfit()) ? ExitReason.TAKE_PROFIT
                : regime != null && regime.candleEnd() > p.openedAt() && regime.regime() == Regime.CHAOTIC ? ExitReason.VOLATILITY_EXIT
                : regime != null && regime.candleEnd() > p.openedAt() && regime.regime() == Regime.RANGING
                        && regime.confidence() >= regimeExitConfidence ? ExitReason.REGIME_EXIT
                : tick.timestamp() - p.openedAt() >= maxHold.toMillis() ? ExitReason.TIME_EXIT
                : null;
        return reason == null ? Optional.empty()
                : Optional.of(new ExitDecision(p.positionId(), p.symbol(), reason, tick.price(), tick.timestamp(), p.size()));
    }
}
