package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.Signal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The trading topology in the in-memory test driver: ticks → candles → regime → signals. */
class QuantumTraderTopologyTest {

    @Test
    void aSteadyUptrendOfTicksBecomesCandlesATrendingRegimeAndLongSignals() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> ticks = driver.createInputStream(QuantumTraderTopology.TICKS);
            double price = 1000;
            for (int minute = 0; minute < 100; minute++) {
                for (int s = 0; s < 60; s += 15) {       // 4 ticks a minute, rising 1.5 a minute with a wiggle
                    price += 0.375 + (s == 30 ? -0.5 : 0.2);
                    long t = 1_385_337_600_000L + minute * 60_000L + s * 1000L;   // from 2013-11-25T00:00Z
                    ticks.pipeInput("BTC-USD", new PriceTick("BTC-USD", price, 0.1, t), t);
                }
            }
            List<Candle> candles = driver.createOutputStream(QuantumTraderTopology.CANDLES, Candle.class).readValuesToList();
            assertThat(candles).hasSize(99);   // the 100th minute is still open
            assertThat(candles.get(0).trades()).isEqualTo(4);
            assertThat(candles.get(0).windowStart()).isEqualTo(1_385_337_600_000L);
            assertThat(candles).allSatisfy(c -> assertThat(c.high()).isGreaterThanOrEqualTo(c.low()));

            List<RegimeUpdate> regimes = driver.createOutputStream(QuantumTraderTopology.REGIMES, RegimeUpdate.class).readValuesToList();
            assertThat(regimes).isNotEmpty();
            assertThat(regimes.get(regimes.size() - 1).regime()).isEqualTo(Regime.TRENDING);

            List<Signal> signals = driver.createOutputStream(QuantumTraderTopology.SIGNALS, Signal.class).readValuesToList();
            List<NoSignal> declines = driver.createOutputStream(QuantumTraderTopology.NO_SIGNALS, NoSignal.class).readValuesToList();
            assertThat(signals.size() + declines.size()).as("one advice per classified candle (the advisory reads the "
                    + "regime stage's output; a candle of the warm-up has no regime yet)").isEqualTo(regimes.size());
            assertThat(regimes.size()).isLessThan(99);
            assertThat(signals).isNotEmpty().allSatisfy(s -> assertThat(s.direction()).isEqualTo(Direction.LONG));
            assertThat(driver.deadLetters(QuantumTraderTopology.TICKS)).isEmpty();
        }
    }

    @Test
    void anInvalidTickIsDeadLetteredAndTheRestFlows() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<Object> raw = driver.createInputStream(QuantumTraderTopology.TICKS);
            raw.pipeInput("BTC-USD", java.util.Map.of("symbol", "BTC-USD", "price", -1, "size", 1, "timestamp", 1000), 1000);
            raw.pipeInput("BTC-USD", new PriceTick("BTC-USD", 100, 1, 2000), 2000);
            raw.pipeInput("BTC-USD", new PriceTick("BTC-USD", 101, 1, 70_000), 70_000);
            // only the market layer reads the ticks (the portfolio gets them through it): one dead letter, not one per layer
            assertThat(driver.deadLetters(QuantumTraderTopology.TICKS)).singleElement()
                    .satisfies(f -> assertThat(f.get("error.message")).contains("price must be a positive number"))
                    .satisfies(f -> assertThat(f.get("error.stage")).isEqualTo("ticks"));
            assertThat(driver.createOutputStream(QuantumTraderTopology.CANDLES, Candle.class).readValuesToList())
                    .singleElement().satisfies(c -> assertThat(c.close()).isEqualTo(100));
        }
    }

    /**
     * A tick keyed by another symbol than its own is dead-lettered at the ticks' source: it would have joined that
     * symbol's candles and marked, filled and exited its positions at a foreign price (found in review, 2026-12-06).
     */
    @Test
    void aTickKeyedByAnotherSymbolIsDeadLetteredAtTheSource() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> ticks = driver.createInputStream(QuantumTraderTopology.TICKS);
            long t = 1_385_337_600_000L;
            ticks.pipeInput("ETH-USD", new PriceTick("BTC-USD", 800, 0.1, t), t);
            assertThat(driver.deadLetters(QuantumTraderTopology.TICKS)).singleElement()
                    .satisfies(d -> assertThat(d.get("error.reason")).isEqualTo("invalid_value"));
        }
    }
}
