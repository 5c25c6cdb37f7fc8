package io.quantumtrader.trader;

import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A symbol's CHAOTIC regime counts as a volatility spike ({@code soft-derisk-on-volatility-spike}) for
 * {@code volatility-spike-stale-candles} candles (60) after the candle it classified. Found in review (2026-12-06): a
 * symbol that stops printing (halted, its market closed) keeps its last regime for ever, and a CHAOTIC one held the
 * whole account in SOFT_DERISK — every other symbol's entries at half size, no adds — until that symbol printed again.
 */
class StaleVolatilitySpikeTest {

    static final long T0 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    /** SOFT_DERISK on a spike only (no drawdown thresholds), no kill switch in the way. */
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(0, 0, true);

    /** Position state alone (test driver): the bound itself, to the millisecond. */
    @Test
    void aChaoticRegimeCountsForSixtyCandlesAfterItsCandle() {
        try (MarkedEquityTest.Portfolio p = new MarkedEquityTest.Portfolio(RULES)) {
            long end = T0 + MINUTE;
            p.driver.<String, RegimeUpdate>getKeyValueStore("regimes").put("ETH-USD",
                    new RegimeUpdate("ETH-USD", end, Regime.CHAOTIC, 1, 20, 9, 3, 3, 2_000, 2_000, 2_000));
            p.tick(40_000, end + 60 * MINUTE);
            assertThat(p.account().deRisk()).as("60 candles after it").isEqualTo(DeRiskState.SOFT_DERISK);
            p.tick(40_000, end + 60 * MINUTE + 1);
            assertThat(p.account().deRisk()).as("after that: a stale regime, no spike").isEqualTo(DeRiskState.NORMAL);
            assertThat(p.deRiskChanges()).containsExactly("NORMAL -> SOFT_DERISK", "SOFT_DERISK -> NORMAL");
        }
    }

    /**
     * A signal judged after ETH's CHAOTIC candle and before the next tick (the account stored NORMAL at the tick before):
     * the risk kernel sizes it in SOFT_DERISK, at half size, as it does once a tick has stored the state; a spike gone
     * stale (61 candles) does not. Before (review 2026-12-07) the kernel judged it in the stored NORMAL: full size.
     */
    @Test
    void theRiskKernelJudgesASignalInTheSoftDeriskOfASpikeKnownBeforeTheNextTick() {
        java.util.function.LongFunction<Double> sizeAfterSpikeEndedMsBefore = ago -> {
            try (MarkedEquityTest.Portfolio p = new MarkedEquityTest.Portfolio(RULES)) {
                p.tick(40_000, T0);
                assertThat(p.account().deRisk()).isEqualTo(DeRiskState.NORMAL);
                long at = T0 + 61 * MINUTE;
                p.driver.<String, RegimeUpdate>getKeyValueStore("regimes").put("ETH-USD",
                        new RegimeUpdate("ETH-USD", at - ago, Regime.CHAOTIC, 1, 20, 9, 3, 3, 2_000, 2_000, 2_000));
                p.signal("BTC-USD", null, at);
                return p.evaluations().get(0).positionAllowed().maxSize();
            }
        };
        double whole = sizeAfterSpikeEndedMsBefore.apply(61 * MINUTE);
        assertThat(whole).as("a stale spike: NORMAL").isPositive();
        assertThat(sizeAfterSpikeEndedMsBefore.apply(MINUTE)).as("a spike known: SOFT_DERISK, half size")
                .isCloseTo(whole / 2, org.assertj.core.api.Assertions.within(1e-6));
    }

    /**
     * The whole topology (test driver) against {@link IndependentReference}: ETH calm for 80 minutes, 16 minutes of wide
     * swings (CHAOTIC), then no more ETH prints; BTC prints calmly for four hours. The account enters SOFT_DERISK on
     * ETH's spike and leaves it at the first BTC tick more than 60 candles after ETH's last candle, at the same tick in
     * both implementations. Fails without the bound: SOFT_DERISK to the end.
     */
    @Test
    void theAccountLeavesSoftDeriskOnceTheHaltedSymbolsSpikeIsStaleAsTheReferenceDoes() {
        List<PriceTick> ticks = new ArrayList<>();
        for (int m = 0; m < 240; m++) {
            for (int i = 0; i < 6; i++) {
                long at = T0 + m * MINUTE + i * 10_000;
                ticks.add(new PriceTick("BTC-USD", 40_000 + 5 * Math.sin(m * 6 + i), 0.1, at));
                if (m < 96) {
                    double swing = m < 80 ? 1 : 40;
                    ticks.add(new PriceTick("ETH-USD", 2_000 + swing * Math.sin(m * 6 + i * 1.7), 1, at + 1));
                }
            }
        }
        ticks.sort(Comparator.comparingLong(PriceTick::timestamp));

        List<String> pipeline;
        List<RegimeUpdate> regimes;
        try (var driver = TradingFixtures.alignedDriver(
                QuantumTraderTopology.build(RegimeRules.defaults(), RULES, Duration.ofMinutes(1)))) {
            var in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            pipeline = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class).readValuesToList().stream()
                    .map(d -> d.changedAt() + " " + d.previous() + " -> " + d.state()).toList();
            regimes = driver.createOutputStream(QuantumTraderTopology.REGIMES, RegimeUpdate.class).readValuesToList();
        }
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(new IndependentReference.Rules(
                100_000, 1.0, 50, 50, 3, 130, 20, false, true, 0, 0, true, 0.5, 5, 10, 10, 1, 300, 16, 10)), ticks);

        assertThat(regimes).as("ETH's last candle was classified CHAOTIC").filteredOn(r -> r.symbol().equals("ETH-USD"))
                .last().satisfies(r -> assertThat(r.regime()).isEqualTo(Regime.CHAOTIC))
                .satisfies(r -> assertThat(r.candleEnd()).isEqualTo(T0 + 96 * MINUTE));
        assertThat(reference.deRiskChanges).containsExactly("NORMAL -> SOFT_DERISK", "SOFT_DERISK -> NORMAL");
        assertThat(pipeline).isEqualTo(reference.deRiskTimeline);
        long normalAt = Long.parseLong(pipeline.get(1).split(" ")[0]);
        assertThat(normalAt).as("the first BTC tick more than 60 candles after ETH's last candle (ended at minute 96)")
                .isGreaterThan(T0 + 156 * MINUTE).isLessThanOrEqualTo(T0 + 156 * MINUTE + 10_000);
    }
}
