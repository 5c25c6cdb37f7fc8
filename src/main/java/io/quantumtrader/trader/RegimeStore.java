package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.risk.RiskRules;

import java.time.Duration;

/** Reads the portfolio's {@code regimes} store: each symbol's latest regime update. */
final class RegimeStore {

    private RegimeStore() {
    }

    /**
     * @param atMs         event time of the record being judged, epoch ms
     * @param staleAfterMs how long after the end of its candle a CHAOTIC regime still counts, ms
     *                     ({@link #spikeWindowMs})
     * @return the symbols in a volatility spike ({@code DeRisk}'s input): whose latest regime is CHAOTIC and whose
     *         candle ended at most {@code staleAfterMs} before {@code atMs}. A symbol that stopped printing (halted, its
     *         market closed) keeps its last regime for ever: counted without the bound it held the whole account in
     *         SOFT_DERISK until it printed again (found in review, 2026-12-06)
     */
    static int chaoticSymbols(KeyValueStore<String, RegimeUpdate> regimes, long atMs, long staleAfterMs) {
        return (int) regimes.all().values().stream()
                .filter(g -> g.regime() == Regime.CHAOTIC && atMs - g.candleEnd() <= staleAfterMs).count();
    }

    /**
     * @return how long a CHAOTIC regime counts as a volatility spike, ms: {@link RiskRules#volatilitySpikeStaleCandles()}
     *         candles of {@code candleSize}
     */
    static long spikeWindowMs(RiskRules rules, Duration candleSize) {
        return Math.multiplyExact(rules.volatilitySpikeStaleCandles(), candleSize.toMillis());
    }
}
