package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.topology.EmitStrategy;
import io.quantumtrader.streams.topology.EventStream;
import io.quantumtrader.streams.topology.KeyValue;
import io.quantumtrader.streams.topology.Materialized;
import io.quantumtrader.streams.topology.Named;
import io.quantumtrader.streams.topology.Processor;
import io.quantumtrader.streams.topology.ProcessorContext;
import io.quantumtrader.streams.topology.TimeWindows;
import io.quantumtrader.streams.topology.Topology;
import io.quantumtrader.streams.topology.TopologyBuilder;
import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.CandleBuilder;
import io.quantumtrader.trader.regime.CandleHistory;
import io.quantumtrader.trader.regime.MarketState;
import io.quantumtrader.trader.regime.RegimeDetector;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;

import java.time.Duration;

/**
 * Wires the trading system's stages with the DSL. Stream names follow the stream catalog (DESIGN §6).
 *
 * <p>Built so far: ticks → candle builder (1-minute tumbling event-time windows, 5 s grace, final results) →
 * regime detector (ta4j ADX/ATR; regime updates and volatility spikes) → signal advisory (signals and declines with
 * the failing gate). The risk kernel, sizer, paper venue, positions, exit brain, daily P&amp;L and kill switch come next
 * (see the trading pipeline issue).
 */
public final class QuantumTraderTopology {

    /** Application id: consumer groups are {@code quantum-trader.<sub-topology>}. */
    public static final String APPLICATION_ID = "quantum-trader";
    public static final String TICKS = "market.tick.price";
    public static final String CANDLES = "market.candle.new";
    public static final String REGIMES = "regime.classification.update";
    public static final String SPIKES = "regime.volatility.spike";
    public static final String SIGNALS = "signals.advisory.new";
    public static final String NO_SIGNALS = "signals.advisory.no_signal";
    /** Candle window grace: ticks up to 5 s late (event time) still count. */
    public static final Duration CANDLE_GRACE = Duration.ofSeconds(5);

    private QuantumTraderTopology() {
    }

    /** @return the topology with the default rules */
    public static Topology build() {
        return build(RegimeRules.defaults());
    }

    /** @return the topology with the given regime rules */
    public static Topology build(RegimeRules rules) {
        TopologyBuilder b = new TopologyBuilder(APPLICATION_ID);

        // candle builder: ticks -> 1-minute OHLCV candles, emitted once when the window closes
        b.stream(TICKS, PriceTick.class, Named.as("ticks"))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), CANDLE_GRACE))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(CandleBuilder::empty, (symbol, tick, candle) -> candle.add(tick), Materialized.as("candle-builder"))
                .toStream()
                .map((window, c) -> KeyValue.pair(window.key(), c.toCandle(window.key(), window.start(), window.end())),
                        Named.as("closed-candles"))
                .to(CANDLES, Named.as("candles-sink"));

        // regime detector and signal advisory, per symbol
        b.addStateStore(StoreSpec.keyValueStore("candle-history", CandleHistory.class));
        RegimeDetector detector = new RegimeDetector(rules);
        EventStream<String, MarketState> states = b.stream(CANDLES, Candle.class, Named.as("candles"))
                .process(() -> new RegimeProcessor(detector), Named.as("regime-detector"), "candle-history");
        states.filter((symbol, s) -> s.regime() != null, Named.as("classified"))
                .mapValues(MarketState::regime, Named.as("regime-update"))
                .to(REGIMES, Named.as("regimes-sink"));
        states.flatMapValues(s -> detector.spike(s).stream().toList(), Named.as("volatility-spikes"))
                .to(SPIKES, Named.as("spikes-sink"));
        SignalAdvisory advisory = new SignalAdvisory();
        EventStream<String, Advice> advice = states.mapValues(advisory::advise, Named.as("signal-advisory"));
        advice.filter((symbol, a) -> a.signal() != null, Named.as("signals-only"))
                .mapValues(Advice::signal, Named.as("signal"))
                .to(SIGNALS, Named.as("signals-sink"));
        advice.filter((symbol, a) -> a.noSignal() != null, Named.as("declines-only"))
                .mapValues(Advice::noSignal, Named.as("no-signal"))
                .to(NO_SIGNALS, Named.as("no-signals-sink"));
        return b.build();
    }

    /** Keeps each symbol's recent candles and evaluates the regime at every closed candle. */
    static final class RegimeProcessor implements Processor<String, Candle, String, MarketState> {
        private final RegimeDetector detector;
        private ProcessorContext<String, MarketState> context;
        private KeyValueStore<String, CandleHistory> history;

        RegimeProcessor(RegimeDetector detector) {
            this.detector = detector;
        }

        @Override
        public void init(ProcessorContext<String, MarketState> context) {
            this.context = context;
            this.history = context.getStateStore("candle-history");
        }

        @Override
        public void process(Record<String, Candle> record) {
            CandleHistory current = history.get(record.key());
            CandleHistory next = (current == null ? CandleHistory.empty() : current)
                    .append(record.value(), detector.rules().historyCandles());
            history.put(record.key(), next);
            context.forward(record.withValue(detector.evaluate(next.candles())));
        }
    }
}
