package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.topology.Named;
import io.quantumtrader.streams.topology.Processor;
import io.quantumtrader.streams.topology.ProcessorContext;
import io.quantumtrader.streams.topology.Topology;
import io.quantumtrader.streams.topology.TopologyBuilder;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.stats.TickStats;

/**
 * Wires the trading system's stages with the DSL. Stream names follow the stream catalog (DESIGN §6).
 *
 * <p>Current state: the market stage only (ticks → running per-symbol statistics in a state store); the candle,
 * regime, signal, risk, sizing, execution, position, exit and P&amp;L stages arrive with the trading pipeline issue.
 */
public final class QuantumTraderTopology {

    /** Application id: consumer groups are {@code quantum-trader.<sub-topology>}. */
    public static final String APPLICATION_ID = "quantum-trader";
    public static final String TICKS = "market.tick.price";
    public static final String TICK_STATS = "market.tick.stats";

    private QuantumTraderTopology() {
    }

    /** @return the topology */
    public static Topology build() {
        TopologyBuilder b = new TopologyBuilder(APPLICATION_ID);
        b.addStateStore(StoreSpec.keyValueStore("tick-stats", TickStats.class));
        b.stream(TICKS, PriceTick.class, Named.as("ticks"))
                .process(TickStatsProcessor::new, Named.as("tick-stats"), "tick-stats")
                .filter((symbol, stats) -> stats.count() % 1000 == 0, Named.as("every-1000th"))
                .to(TICK_STATS, Named.as("tick-stats-sink"));
        return b.build();
    }

    /** Folds each tick into its symbol's {@link TickStats} and forwards the new stats. */
    static final class TickStatsProcessor implements Processor<String, PriceTick, String, TickStats> {
        private ProcessorContext<String, TickStats> context;
        private KeyValueStore<String, TickStats> store;

        @Override
        public void init(ProcessorContext<String, TickStats> context) {
            this.context = context;
            this.store = context.getStateStore("tick-stats");
        }

        @Override
        public void process(Record<String, PriceTick> record) {
            TickStats current = store.get(record.key());
            TickStats next = (current == null ? TickStats.empty(record.key()) : current).add(record.value());
            store.put(record.key(), next);
            context.forward(record.withValue(next));
        }
    }
}
