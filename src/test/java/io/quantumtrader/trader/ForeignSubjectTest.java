package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.Signal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regime update or candle whose value names another symbol than its entry's subject is refused at the source
 * (dead-lettered, {@code invalid_value}), as a tick is. Found in review (2026-12-08, hostile input): a forged regime
 * under ETH-USD naming BTC-USD produced a signal whose symbol differed from its key; the risk kernel read the key's
 * positions and order entry the value's symbol.
 */
class ForeignSubjectTest {

    private static final long T0 = 1_385_337_600_000L;   // 2013-11-25T00:00:00Z

    @Test
    void aRegimeUpdateNamingAnotherSymbolIsRefusedAtTheSource() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            driver.createInputStream(QuantumTraderTopology.REGIMES).pipeInput("ETH-USD",
                    new RegimeUpdate("BTC-USD", T0, Regime.TRENDING, 0.9, 40, 5, 4, 1.2, 800, 790, 780), T0);
            List<Map<String, String>> dead = driver.deadLetters(QuantumTraderTopology.REGIMES);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).get("error.reason")).isEqualTo("invalid_value");
            assertThat(driver.createOutputStream(QuantumTraderTopology.SIGNALS, Signal.class).readValuesToList()).isEmpty();
        }
    }

    @Test
    void aCandleNamingAnotherSymbolIsRefusedAtTheSource() {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            driver.createInputStream(QuantumTraderTopology.CANDLES).pipeInput("ETH-USD",
                    new Candle("BTC-USD", T0, T0 + 60_000, 800, 801, 799, 800, 1.0, 3), T0 + 59_999);
            List<Map<String, String>> dead = driver.deadLetters(QuantumTraderTopology.CANDLES);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).get("error.reason")).isEqualTo("invalid_value");
        }
    }
}
