package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;

/** Reads the portfolio's {@code regimes} store: each symbol's latest regime update. */
final class RegimeStore {

    private RegimeStore() {
    }

    /** @return the symbols whose latest regime is CHAOTIC (in a volatility spike: {@code DeRisk}'s input) */
    static int chaoticSymbols(KeyValueStore<String, RegimeUpdate> regimes) {
        return (int) regimes.all().values().stream().filter(g -> g.regime() == Regime.CHAOTIC).count();
    }
}
