package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RegimeUpdate;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08) of 4e29ed0f: repartition sources now accept data null (markTableSource). The portfolio's regime table
 * (RegimeTableProcessor: regimes.put(key, value)) reads one; a null entry on the regimes-by-account repartition stream
 * deleted the symbol's regime from the 'regimes' store silently, where it was dead-lettered (null_data) before. Now
 * the regime table counts and skips it.
 */
class RepartitionNullRegimeTest {

    @Test
    void aNullEntryOnTheRegimeRepartitionDoesNotDeleteTheSymbolsRegime() {
        long t = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        try (TopologyTestDriver d = new TopologyTestDriver(QuantumTraderTopology.build(), Instant.ofEpochMilli(t + 3_600_000))) {
            String rp = QuantumTraderTopology.APPLICATION_ID + "-regimes-by-account-repartition";
            RegimeUpdate u = new RegimeUpdate("BTC-USD", t, Regime.CHAOTIC, 0.9, 30, 10, 5, 2, 100, 99, 98);
            String app = QuantumTraderTopology.APPLICATION_ID;
            d.createInputStream(rp).pipeInput("BTC-USD", u, t);
            d.createInputStream(rp).pipeInput("BTC-USD", null, t + 60_000);
            for (String s : new String[] {rp, app + "-ticks-by-account-repartition", app + "-signals-by-account-repartition"}) {
                d.endInput(s);
            }
            KeyValueStore<String, RegimeUpdate> regimes = d.getKeyValueStore("regimes");
            assertThat(regimes.get("BTC-USD")).as("regime after a data-null entry on %s", rp).isEqualTo(u);
            assertThat(d.countedRecords()).as("the null entry counted by the regime table")
                    .containsEntry("regime-table|" + QuantumTraderTopology.RegimeTableProcessor.NULL_VALUE, 1L);
        }
    }
}
