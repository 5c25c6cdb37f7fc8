package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.EmitStrategy;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.GlobalTable;
import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.KeyedTable;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.RiskEvaluation.Decision;
import io.quantumtrader.trader.pnl.DailyPnl;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.events.TradeRequest;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.exit.ExitBrain;
import io.quantumtrader.trader.position.OpenPosition;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.sizing.PositionSizer;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.market.CandleBuilder;
import io.quantumtrader.trader.regime.CandleHistory;
import io.quantumtrader.trader.regime.MarketState;
import io.quantumtrader.trader.regime.RegimeDetector;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.signal.Advice;
import io.quantumtrader.trader.signal.SignalAdvisory;

import java.time.Duration;
import java.util.List;

/**
 * Wires the trading system's stages with the DSL, in the layers of DESIGN §7. Stream names follow the stream catalog
 * (DESIGN §6).
 *
 * <ul>
 *   <li>Market data, partitioned by symbol, three sub-topologies: ticks → price band ({@link io.quantumtrader.trader.market.PriceBand}:
 *       an erroneous print held, then refused to {@code market.tick.refused} unless the next print confirms it; every
 *       stage below sees only the band's accepted ticks) → candle builder (1-minute tumbling event-time
 *       windows, 5 s grace, final results) → {@code market.candle.new}; → regime detector (ta4j ADX/ATR) →
 *       {@code regime.classification.update}; → signal advisory → {@code signals.advisory.new}.</li>
 *   <li>Portfolio, keyed by account: the ticks, signals and regime updates gathered by account
 *       ({@link EventStream#repartition}), merged in event time, and the kill switch as a global table; depth-first
 *       inside: kill-switch gate → risk kernel → {@code filter(approved)} → position sizer → order entry; ticks →
 *       an operator's kill-switch reset applied → paper venue (fills on the next tick) → position state (account, kill switch, de-risk state) →
 *       {@code ticks.join(open-positions)} → exit brain; every decision to the audit log.</li>
 *   <li>Reporting: {@code position.closed} → by account → one-day window → {@code risk.daily_status.update}.</li>
 * </ul>
 */
public final class QuantumTraderTopology {

    /** Application id: consumer groups are {@code quantum-trader.<sub-topology>}. */
    public static final String APPLICATION_ID = "quantum-trader";
    public static final String TICKS = "market.tick.price";
    /** Prints the price band refused ({@link io.quantumtrader.trader.events.RefusedTick}, reason {@code price_band}). */
    public static final String REFUSED_TICKS = "market.tick.refused";
    public static final String CANDLES = "market.candle.new";
    /** The candle size without {@code --candle}: 1 minute. */
    public static final Duration DEFAULT_CANDLE_SIZE = Duration.ofMinutes(1);
    public static final String REGIMES = "regime.classification.update";
    public static final String SPIKES = "regime.volatility.spike";
    public static final String SIGNALS = "signals.advisory.new";
    public static final String NO_SIGNALS = "signals.advisory.no_signal";
    public static final String EVALUATIONS = "risk.evaluation.complete";
    public static final String REQUESTS = "trades.request.new";
    public static final String SUBMITTED = "trades.order.submitted";
    public static final String FILLS = "trades.order.filled";
    public static final String OPENED = "position.opened";
    public static final String UPDATES = "position.state.update";
    public static final String REJECTED = "trades.order.rejected";
    public static final String CLOSED = "position.closed";
    public static final String DAILY_STATUS = "risk.daily_status.update";
    public static final String KILL_SWITCH = "risk.kill_switch.activated";
    public static final String DERISK = "risk.derisk_state.update";
    public static final String EXITS = "exit.decision.made";
    public static final String STOPS = "exit.stop.triggered";
    public static final String ALERTS = "system.alert.triggered";
    public static final String AUDIT = "audit.decision.log";
    /** Candle window grace: ticks up to 5 s late (event time) still count. */
    public static final Duration CANDLE_GRACE = Duration.ofSeconds(5);

    private QuantumTraderTopology() {
    }

    /** @return the topology with the default rules */
    public static Topology build() {
        return build(RegimeRules.defaults());
    }

    /** @return the topology with the given regime rules and default risk rules */
    public static Topology build(RegimeRules rules) {
        return build(rules, RiskRules.defaults());
    }

    /**
     * @return the topology with 1-minute candles: seven sub-topologies (candles, regime, signals; the portfolio; the
     *         kill switch's global store; reporting's repartition and window), see docs/TRADING-PIPELINE.md. The
     *         portfolio's stages share state stores ({@code account}, {@code positions}, {@code orders}), so it runs
     *         record by record (depth-first), and with event-time alignment a replay gives the same trades whatever its
     *         speed, partition counts or instances
     */
    public static Topology build(RegimeRules rules, RiskRules risk) {
        return build(rules, risk, DEFAULT_CANDLE_SIZE);
    }

    /**
     * @param candleSize the candle size (the replay's {@code --candle}; 1 minute by default)
     * @return the topology with candles of {@code candleSize}
     */
    public static Topology build(RegimeRules rules, RiskRules risk, Duration candleSize) {
        TopologyBuilder b = new TopologyBuilder(APPLICATION_ID);
        // CandleHistory copies its candles into an unmodifiable list: immutable, although its List component does not show it
        b.addStateStore(StoreSpec.keyValueStore("candle-history", CandleHistory.class).withImmutableValues());
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", RegimeUpdate.class));
        b.addStateStore(StoreSpec.keyValueStore("kill-switch-resets", KillSwitch.class));
        // PriceBand.State copies its held prints into an unmodifiable list: immutable
        b.addStateStore(StoreSpec.keyValueStore("price-band", io.quantumtrader.trader.market.PriceBand.State.class).withImmutableValues());

        // ---- market data, partitioned by symbol: three feed-forward sub-topologies, each reading through its group ----
        // candles: ticks -> 1-minute OHLCV candles (event-time tumbling windows, grace, emitted once when they close)
        // a tick's subject must be its symbol: one keyed by another symbol would join that symbol's candles and mark,
        // fill and exit its positions at a foreign price (refused at the source, dead-lettered)
        EventStream<String, PriceTick> sourceTicks = b.stream(TICKS, PriceTick.class, Named.as("ticks"))
                .requireSubject(PriceTick::symbol)
                .requireEventTime(PriceTick::timestamp);   // the exit brain's holding period reads the tick's own time
        // the price band (risk rule price-band-pct): an erroneous print is held, then refused unless the next print(s)
        // confirm it, before any stage sees it. Every consumer of ticks reads the band's output, one tape for all: the
        // candles (a 10 USD print would be a candle's low, the ATR and ADX, a signal's stop), and by account the paper
        // venue (no fill at it), the marks (no kill switch, no de-risk from it) and the exit brain (no stop or target
        // from it). A refused print goes to market.tick.refused with its reason: never dropped silently
        EventStream<String, PriceBandProcessor.Verdict> banded = sourceTicks.processValues(() -> new PriceBandProcessor(risk.priceBand()),
                Named.as("price-band"), "price-band");
        banded.flatMapValues(v -> v.refused() == null ? List.<io.quantumtrader.trader.events.RefusedTick>of() : List.of(v.refused()),
                        Named.as("refused-ticks"))
                .to(REFUSED_TICKS, Named.as("refused-ticks-sink"));
        EventStream<String, PriceTick> marketTicks = banded
                .flatMapValues(v -> v.accepted() == null ? List.<PriceTick>of() : List.of(v.accepted()), Named.as("accepted-ticks"));
        EventStream<String, Candle> candles = marketTicks.groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(candleSize, CANDLE_GRACE))
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(CandleBuilder::empty, (symbol, tick, candle) -> candle.add(tick), Materialized.as("candle-builder"))
                .toStream()
                .map((window, c) -> KeyValue.pair(window.key(), c.toCandle(window.key(), window.start(), window.end())),
                        Named.as("closed-candles"));
        candles.to(CANDLES, Named.as("candles-sink"));

        // regime: market.candle.new -> regime detector (ta4j ADX/ATR over the symbol's recent candles)
        RegimeDetector detector = new RegimeDetector(rules);
        // candles, regimes and closed positions name their symbol, their subject, as ticks do: one under another symbol
        // would join that symbol's state (found in review, 2026-12-08; refused at the source, dead-lettered)
        EventStream<String, MarketState> states = b.stream(CANDLES, Candle.class, Named.as("candles"))
                .requireSubject(Candle::symbol)
                .processValues(() -> new RegimeProcessor(detector), Named.as("regime-detector"), "candle-history");
        EventStream<String, RegimeUpdate> classified = states.filter((symbol, s) -> s.regime() != null, Named.as("classified"))
                .mapValues(MarketState::regime, Named.as("regime-update"));
        classified.to(REGIMES, Named.as("regimes-sink"));
        states.flatMapValues(s -> detector.spike(s).stream().toList(), Named.as("volatility-spikes"))
                .to(SPIKES, Named.as("spikes-sink"));

        // signals: regime.classification.update (regime, close, EMAs of a candle) -> signal advisory
        SignalAdvisory advisory = new SignalAdvisory();
        EventStream<String, Advice> advice = b.stream(REGIMES, RegimeUpdate.class, Named.as("regimes"))
                .requireSubject(RegimeUpdate::symbol)
                .mapValues((RegimeUpdate r) -> advisory.advise(r), Named.as("signal-advisory"));
        EventStream<String, Signal> marketSignals = advice.filter((symbol, a) -> a.signal() != null, Named.as("signals-only"))
                .mapValues(Advice::signal, Named.as("signal"));
        marketSignals.to(SIGNALS, Named.as("signals-sink"));
        advice.filter((symbol, a) -> a.noSignal() != null, Named.as("declines-only"))
                .mapValues(Advice::noSignal, Named.as("no-signal"))
                .to(NO_SIGNALS, Named.as("no-signals-sink"));

        // README: the DSL example starts here
        // ---- portfolio, keyed by account: one task per account partition ----
        // its inputs are the market layer's ticks, signals and regimes gathered by account (records keep their symbol
        // key), merged in event time by watermarks; ticks first, so a tick at a candle's last millisecond goes before
        // that candle's signal
        EventStream<String, PriceTick> accountTicks = marketTicks.repartition(PriceTick.class, QuantumTraderTopology::account,
                Named.as("ticks-by-account"));
        EventStream<String, Signal> advisories = marketSignals.repartition(Signal.class, QuantumTraderTopology::account,
                Named.as("signals-by-account"));
        classified.repartition(RegimeUpdate.class, QuantumTraderTopology::account, Named.as("regimes-by-account"))
                .processValues(RegimeTableProcessor::new, Named.as("regime-table"), "regimes");
        // the kill switch: a global table of risk.kill_switch.activated (a broadcast) every portfolio task reads
        GlobalTable<String, KillSwitch> killSwitch = b.globalTable(KILL_SWITCH, KillSwitch.class, KillSwitch::account,
                Materialized.as("kill-switch"));
        // an operator's reset is applied by the first tick or signal after it (a later activation replaces it in the table)
        EventStream<String, KillSwitchResetProcessor.Outcome> resetTicks = accountTicks
                .leftJoin(killSwitch, (symbol, tick) -> Account.PAPER, KillSwitchResetProcessor.Input::new,
                        Named.as("kill-switch-table-ticks"))
                .processValues(() -> new KillSwitchResetProcessor(risk, candleSize), Named.as("kill-switch-resets-on-ticks"),
                        "account", "kill-switch-resets", "regimes");
        // what a reset changed goes out before the tick goes on (position state may publish a de-risk change of its own)
        EventStream<String, KillSwitch> tickResets = resetTicks.flatMap((symbol, t) -> t.appliedReset() == null
                ? List.<KeyValue<String, KillSwitch>>of()
                : List.of(KeyValue.pair(t.appliedReset().account(), t.appliedReset())), Named.as("tick-applied-resets"));
        EventStream<String, io.quantumtrader.trader.events.DeRiskUpdate> tickRebases = resetTicks.flatMap((symbol, t) -> t.deRisk() == null
                ? List.<KeyValue<String, io.quantumtrader.trader.events.DeRiskUpdate>>of()
                : List.of(KeyValue.pair(t.deRisk().account(), t.deRisk())), Named.as("tick-rebase-derisk"));
        EventStream<String, PriceTick> ticks = resetTicks.mapValues(KillSwitchResetProcessor.Outcome::tick, Named.as("reset-checked-ticks"));
        // README: the DSL example pauses here
        EventStream<String, KillSwitchGateProcessor.Outcome> gated = advisories
                .leftJoin(killSwitch, (symbol, signal) -> Account.PAPER, KillSwitchGateProcessor.Input::new,
                        Named.as("kill-switch-table"))
                .processValues(() -> new KillSwitchGateProcessor(risk, candleSize), Named.as("kill-switch-gate"), "account", "kill-switch-resets", "regimes");
        EventStream<String, NoSignal> gateDeclines = gated.filter((symbol, g) -> g.declined() != null, Named.as("gate-declines"))
                .mapValues(KillSwitchGateProcessor.Outcome::declined, Named.as("gate-no-signal"));
        gateDeclines.to(NO_SIGNALS, Named.as("gate-no-signals-sink"));
        EventStream<String, KillSwitch> commands = gated.flatMap((symbol, g) -> g.appliedReset() == null
                ? List.<KeyValue<String, KillSwitch>>of()
                : List.of(KeyValue.pair(g.appliedReset().account(), g.appliedReset())), Named.as("applied-resets"))
                .merge(tickResets, Named.as("applied-resets-all"));
        EventStream<String, Signal> signals = gated.filter((symbol, g) -> g.signal() != null, Named.as("open-gate"))
                .mapValues(KillSwitchGateProcessor.Outcome::signal, Named.as("gated-signal"));

        // risk kernel -> filter(approved) -> position sizer -> order entry
        PaperVenue paperVenue = PaperVenue.defaults();
        EventStream<String, RiskEvaluation> evaluations = signals.processValues(() -> new RiskKernelProcessor(risk, paperVenue, candleSize),
                Named.as("risk-kernel"), "account", "positions", "orders", "regimes");
        evaluations.to(EVALUATIONS, Named.as("evaluations-sink"));
        // the evaluation's audit entry is made before the sizing's (a node's children run in the order they were
        // added, depth first, and the audit merge keeps that order since 2026-12-06: added later, the SIZING entry of an
        // approval came before its EVALUATION; found in review)
        EventStream<String, AuditEntry> auditEvaluations = evaluations.mapValues(e -> new AuditEntry("EVALUATION",
                e.evaluationId(), e.symbol(), e.decision() + (e.vetoReason() != null ? ": " + e.vetoReason() : ""),
                e.evaluatedAt()), Named.as("audit-evaluations"));
        PositionSizer sizer = new PositionSizer();
        // README: the DSL example resumes here
        EventStream<String, TradeRequest> requests = evaluations
                .filter((symbol, e) -> e.decision() != Decision.VETOED, Named.as("approved-evaluations"))   // APPROVED, MODIFIED
                .flatMapValues(e -> sizer.size(e, e.evaluatedAt()).stream().toList(), Named.as("position-sizer"));
        // README: the DSL example pauses here
        requests.to(REQUESTS, Named.as("requests-sink"));
        requests.processValues(() -> new OrderEntryProcessor(risk, candleSize), Named.as("order-entry"), "orders", "account", "regimes")
                .to(SUBMITTED, Named.as("submitted-sink"));

        // paper venue (fills on the next tick) -> position state -> exit brain (exit orders fill on the next tick)
        EventStream<String, VenueOutput> venue = ticks.processValues(() -> new PaperVenueProcessor(paperVenue, risk, candleSize),
                Named.as("paper-venue"), "orders", "account", "positions", "regimes");
        venue.flatMapValues(VenueOutput::fills, Named.as("fills")).to(FILLS, Named.as("fills-sink"));
        EventStream<String, io.quantumtrader.trader.events.OrderRejected> venueCancellations =
                venue.flatMapValues(VenueOutput::rejected, Named.as("rejections"));
        EventStream<String, PositionOutput> positions = venue.processValues(() -> new PositionStateProcessor(risk, candleSize),
                Named.as("position-state"), "positions", "account", "regimes", "orders");
        // the venue's cancellations at a fill, and every pending entry cancelled when the kill switch trips or the
        // account enters HARD_DERISK (named kill-switch-cancellations until 2026-12-06, when only the kill switch did)
        EventStream<String, io.quantumtrader.trader.events.OrderRejected> cancellations = venueCancellations
                .merge(positions.flatMapValues(PositionOutput::cancelled, Named.as("entry-cancellations")),
                        Named.as("rejections-all"));
        cancellations.to(REJECTED, Named.as("rejected-sink"));
        positions.flatMapValues(PositionOutput::opened, Named.as("opened")).to(OPENED, Named.as("opened-sink"));
        positions.flatMapValues(PositionOutput::closed, Named.as("closed")).to(CLOSED, Named.as("closed-sink"));
        positions.flatMapValues(PositionOutput::updates, Named.as("marks")).to(UPDATES, Named.as("updates-sink"));
        // de-risk changes: position state's (every tick) and the kill-switch gate's (an operator's drawdown re-base)
        EventStream<String, io.quantumtrader.trader.events.DeRiskUpdate> deRisk = positions.flatMap((k, o) -> o.deRisk() == null
                ? List.<KeyValue<String, io.quantumtrader.trader.events.DeRiskUpdate>>of()
                : List.of(KeyValue.pair(o.deRisk().account(), o.deRisk())), Named.as("derisk"))
                .merge(gated.flatMap((symbol, g) -> g.deRisk() == null
                        ? List.<KeyValue<String, io.quantumtrader.trader.events.DeRiskUpdate>>of()
                        : List.of(KeyValue.pair(g.deRisk().account(), g.deRisk())), Named.as("rebase-derisk")),
                        Named.as("derisk-changes"))
                .merge(tickRebases, Named.as("derisk-changes-all"));
        deRisk.to(DERISK, Named.as("derisk-sink"));
        EventStream<String, KillSwitch> kills = positions.flatMap((k, o) -> o.killSwitch() == null ? List.<KeyValue<String, KillSwitch>>of()
                : List.of(KeyValue.pair(o.killSwitch().account(), o.killSwitch())), Named.as("kill-switch"));
        kills.to(KILL_SWITCH, Named.as("kill-switch-sink"));
        kills.mapValues(k -> new Alert("CRITICAL", APPLICATION_ID, "kill switch activated: " + k.reason(), k.activatedAt()),
                Named.as("kill-switch-alert")).to(ALERTS, Named.as("alerts-sink"));
        // README: the DSL example resumes here
        // exit checks: ticks joined with the open-positions table (the position state's view after each tick's fills)
        KeyedTable<String, OpenPosition> open = positions.mapValues(PositionOutput::table, Named.as("held"))
                .groupByKey()
                .aggregate(OpenPosition::flat, (symbol, held, previous) -> held, Materialized.as("open-positions"));
        EventStream<String, ExitDecision> exits = ticks
                .join(open, (tick, held) -> new OpenPosition.AtTick(tick, held.position()), Named.as("exit-check"))
                .processValues(() -> new ExitBrainProcessor(ExitBrain.forCandles(risk.maxHoldCandles(), candleSize), risk, paperVenue), Named.as("exit-brain"),
                        "positions", "orders", "account", "regimes");
        // README: the DSL example pauses here
        exits.to(EXITS, Named.as("exits-sink"));
        exits.filter((k, x) -> x.reason() == io.quantumtrader.trader.events.ExitReason.STOP_LOSS, Named.as("stops-only"))
                .to(STOPS, Named.as("stops-sink"));

        // README: the DSL example resumes here
        // reporting layer, its own sub-topology: daily P&L of each account as a one-day event-time window
        b.stream(CLOSED, PositionClosed.class, Named.as("closed-positions"))
                .requireSubject(PositionClosed::symbol)
                .groupBy((symbol, closed) -> closed.account(), PositionClosed.class, Named.as("by-account"))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofDays(1), Duration.ofHours(1)))    // UTC days
                .aggregate(DailyPnl::empty, (account, closed, day) -> day.add(closed), Materialized.as("daily-pnl"))
                .toStream()
                .map((day, pnl) -> KeyValue.pair(day.key(), pnl.toStatus(day.key(), day.start(), risk.dailyLossLimitPct())),
                        Named.as("daily-status"))
                .to(DAILY_STATUS, Named.as("daily-status-sink"));
        // README: the DSL example ends here

        // audit: every decision, never trimmed
        auditEvaluations
                .merge(requests.mapValues(r -> new AuditEntry("SIZING", r.requestId(), r.symbol(),
                        String.format("%s %.6f at %.2f, stop %.2f, risk %.2f USD", r.direction(), r.size(), r.entryPrice(),
                                r.stopLoss(), r.riskUsd()), r.requestedAt()), Named.as("audit-sizing")), Named.as("audit-1"))
                .merge(exits.mapValues(x -> new AuditEntry("EXIT", x.positionId(), x.symbol(),
                        x.auditSummary(), x.decidedAt()), Named.as("audit-exits")), Named.as("audit-2"))
                .merge(kills.mapValues(k -> new AuditEntry("KILL_SWITCH", "kill-" + k.activatedAt(), null, k.reason(),
                        k.activatedAt()), Named.as("audit-kill-switch")), Named.as("audit-3"))
                .merge(deRisk.mapValues(d -> new AuditEntry("DE_RISK", "derisk-" + d.changedAt(), null,
                        d.previous() + " -> " + d.state() + ": " + d.reason(), d.changedAt()), Named.as("audit-derisk")), Named.as("audit-5"))
                .merge(commands.mapValues(k -> new AuditEntry("KILL_SWITCH_COMMAND", "command-" + k.activatedAt(), null,
                        k.resetSummary(), k.activatedAt()), Named.as("audit-commands")),
                        Named.as("audit-4"))
                // decisions of the venue and position state that changed what was approved (review 2026-12-07): an entry
                // filled at another size, and the kill switch cleared by a new UTC day
                .merge(venue.flatMapValues(v -> v.resized().stream().map(x -> new AuditEntry("FILL_RESIZED", x.orderId(),
                        x.symbol(), x.summary(), x.filledAt())).toList(), Named.as("audit-resizes")), Named.as("audit-9"))
                .merge(positions.flatMapValues(o -> o.dailyReset() == null ? List.<AuditEntry>of()
                        : List.of(new AuditEntry("KILL_SWITCH_RESET", "daily-reset-" + o.dailyReset().activatedAt(), null,
                                o.dailyReset().reason(), o.dailyReset().activatedAt())), Named.as("audit-daily-reset")),
                        Named.as("audit-10"))
                // the decisions that never reach the risk kernel or the venue's fills (found in review, 2026-12-05):
                // signals the kill-switch gate declined, pending entries the venue cancelled, approvals sized to nothing
                .merge(gateDeclines.mapValues(d -> new AuditEntry("GATE", "gate-" + d.symbol() + "-" + d.candleEnd(), d.symbol(),
                        "declined: " + d.gate(), d.candleEnd()), Named.as("audit-gate")), Named.as("audit-6"))
                .merge(cancellations.mapValues(c -> new AuditEntry("ORDER_CANCELLED", c.orderId(), c.symbol(),
                        String.format("%s %.6f: %s", c.direction(), c.size(), c.reason()), c.rejectedAt()),
                        Named.as("audit-cancellations")), Named.as("audit-7"))
                .merge(evaluations.filter((symbol, e) -> e.decision() != Decision.VETOED && sizer.size(e, e.evaluatedAt()).isEmpty(),
                                Named.as("sized-to-nothing"))
                        .mapValues(e -> new AuditEntry("SIZING", "req-" + e.signalId(), e.symbol(),
                                String.format("no order: %s approved at most %.6f, risk %.2f USD, which rounds to no size",
                                        e.decision(), e.positionAllowed().maxSize(), e.positionAllowed().maxRiskUsd()),
                                e.evaluatedAt()), Named.as("audit-sized-to-nothing")), Named.as("audit-8"))
                .to(AUDIT, Named.as("audit-sink"));
        return b.build();
    }

    /** @return the account that trades a symbol's records: the paper account (one account so far, DESIGN §7) */
    static String account(String symbol, Object value) {
        return Account.PAPER;
    }

    /**
     * Keeps each symbol's recent candles and evaluates the regime at every closed candle. The candle history lives in
     * the {@code candle-history} store; the indicators are computed from it at every candle.
     */
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
            MarketState state = detector.evaluate(next.candles());
            context.forward(record.withValue(state));
        }
    }

    /** The portfolio's view of each symbol's latest regime (position state's de-risk, the exit brain), from {@code regime.classification.update}. */
    static final class RegimeTableProcessor implements Processor<String, RegimeUpdate, String, Void> {
        /** The count of a record without a value (a foreign entry's null data on the repartition stream), skipped. */
        static final String NULL_VALUE = "null_value";
        private KeyValueStore<String, RegimeUpdate> regimes;
        private ProcessorContext<String, Void> context;

        @Override
        public void init(ProcessorContext<String, Void> context) {
            this.context = context;
            this.regimes = context.getStateStore("regimes");
            context.declareCounts(java.util.Set.of(NULL_VALUE));
        }

        /**
         * Keeps the symbol's latest regime; a record without a value is counted and skipped: stored, it deleted the
         * symbol's regime (review 2026-12-08, once repartition streams pass null values through as Kafka Streams does).
         */
        @Override
        public void process(Record<String, RegimeUpdate> record) {
            if (record.value() == null) {
                context.count(NULL_VALUE);
                return;
            }
            regimes.put(record.key(), record.value());
        }
    }
}
