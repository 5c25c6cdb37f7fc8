package io.quantumtrader.trader;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, hostile input, round 2): the ingest guard bounds the event id and source (256 characters) but not the
 * {@code traceid} attribute, which every record derived from the entry carries unchanged into its outputs. A tick
 * whose trace id fills its entry up to the 64 KiB limit is accepted at the source; its derived outputs (the
 * repartition to the portfolio, candles' and positions' entries) are larger than the limit and are dead-lettered at
 * internal sinks one by one, after the candle task has used the tick: the tick is half-processed.
 */
class HugeTraceIdTest {

    @Test
    void aTickWithAHugeTraceIdIsRefusedAtTheSourceOrFullyProcessedNeverLostAtAnInternalSink() {
        List<PriceTick> ticks = TradingFixtures.realTicks(2_000);
        io.quantumtrader.streams.dsl.Topology topology = QuantumTraderTopology.build();
        JsonSerde<PriceTick> json = new JsonSerde<>(PriceTick.class);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(topology)) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            for (int i = 0; i < ticks.size(); i++) {
                PriceTick t = ticks.get(i);
                if (i == 1_000) {
                    Map<String, String> f = new LinkedHashMap<>();
                    f.put("id", "foreign-1");
                    f.put("source", "feed");
                    f.put("time", Instant.ofEpochMilli(t.timestamp()).toString());
                    f.put("subject", t.symbol());
                    f.put("data", json.serialize(t));
                    f.put("traceid", "T".repeat(65_536 - 200));
                    in.pipeEntry(f);
                } else {
                    in.pipeInput(t.symbol(), t, t.timestamp());
                }
            }
            driver.endInput(QuantumTraderTopology.TICKS);
            java.util.Set<String> streams = new java.util.TreeSet<>();
            topology.taskSubtopologies().forEach(s -> streams.addAll(s.sourceStreams()));
            List<String> internal = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (String s : streams) {
                for (Map<String, String> d : driver.deadLetters(s)) {
                    if (d.get("error.stage") != null && !d.get("error.stage").endsWith("-source") && !d.containsKey("error.reason")) {
                        internal.add(s + " / " + d.get("error.stage") + ": " + d.get("error.message"));
                    } else if ("invalid_envelope".equals(d.get("error.reason"))) {
                        refused.add(s + ": " + d.get("error.message"));
                    }
                }
            }
            assertThat(refused).as("the tick refused at its source for its trace id").hasSize(1);
            assertThat(internal).as("outputs of an accepted tick dead-lettered at internal sinks for their trace id").isEmpty();
        }
    }
}
