package io.quantumtrader.trader.signal;

import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Signal;

/**
 * The signal advisory's answer for one candle: a signal or a decline, exactly one of them non-null.
 */
public record Advice(Signal signal, NoSignal noSignal) {
    public Advice {
        if ((signal == null) == (noSignal == null)) {
            throw new IllegalArgumentException("exactly one of signal and noSignal");
        }
    }
}
