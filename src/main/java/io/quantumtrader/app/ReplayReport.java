package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.DeadLetterStreams;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay did: entries per stream (every partition, dead-letter streams included), the regime mix, signals by
 * direction and declines by gate, the risk kernel's decisions and vetoes by reason, throughput. Printed and written as
 * JSON.
 *
 * @param ticksRead       ticks read from the input (after skipping malformed lines)
 * @param ticksPublished  ticks published to {@code market.tick.price} (a resumed replay's include those it found there)
 * @param ticksPerSecond  ticks this run published per second of its run
 * @param duplicatesSkipped input entries acknowledged and skipped because their event id was processed before (the
 *                        engine's idempotent ingest; a replay publishing the same file into the same namespace again)
 * @param deadLettered    entries this run sent to dead-letter streams ({@code qt.streams.deadlettered})
 * @param deadLettersByReason entries in the namespace's {@code <stream>.dlq} streams by {@code error.reason}
 *                        ({@code future_event_time}, {@code deleted_before_read}, …) or, for a processor that failed
 *                        after its retries (no reason field), {@code failed in <stage> (<exception class>)}; most
 *                        frequent first. The streams' contents: a resumed replay's include the earlier run's
 * @param refusedByReason prints the price band refused ({@code market.tick.refused}) by reason ({@code price_band},
 *                        {@code price_band_unconfirmed}, {@code price_band_overflow}); most frequent first
 * @param droppedByStages records stages dropped without a result for another reason than lateness (a null key or
 *                        value, a negative timestamp; {@code qt.streams.records.dropped} has them by node and reason)
 * @param eventsPerStream entries ever added per stream that has any ({@code XINFO STREAM} {@code entries-added}: what
 *                        retention or a repartition stream's purge removed still counts), by name
 * @param riskDecisions   {@code risk.evaluation.complete} by decision (APPROVED, MODIFIED, VETOED)
 * @param vetoesByReason  vetoed evaluations by rule ({@link ReasonGroups}: figures that differ within a rule shown as
 *                        {@code #}), most frequent first
 * @param cancelledByReason orders the venue cancelled ({@code trades.order.rejected}) by reason ({@link ReasonGroups}),
 *                        most frequent first
 * @param countedByProcessors what processors counted by reason ({@code qt.streams.node.records.counted}, as
 *                        {@code <node> <reason>}; e.g. {@code paper-venue entry_resized_gap}: entries re-sized at their
 *                        fill; every order cancellation under an {@code entry_cancelled_…} or
 *                        {@code take_profit_cancelled_…} reason, docs/TRADING-PIPELINE.md "Counted"), the non-zero ones
 * @param maxDrawdownPct  largest drawdown of realized equity from its peak at the closes, percent (the account's risk
 *                        limits are on marked equity: its de-risk changes show the drawdowns it acted on)
 * @param trades          positions closed ({@code position.closed} not {@code partial}: a position reduced in HARD_DERISK
 *                        and closed later counts once)
 * @param winRatePct      of the trades, percent with a positive realized P&amp;L over all their parts
 * @param exitsByReason   exit fills by reason: every {@code position.closed}, a HARD_DERISK reduction's partial ones
 *                        ({@code DERISK_REDUCE}) included, so they may add up to more than {@code trades}
 * @param positionsOpened positions opened ({@code position.opened}; an add to an open position is not a new one)
 * @param openPositions   positions still open at the end, marked to their symbol's last tick
 * @param reconciliation  starting equity + realized + unrealized P&amp;L against cash + marked positions
 * @param deRiskChanges   de-risk state changes ({@code risk.derisk_state.update}) as "time previous -> state: reason"
 * @param symbols         the symbols replayed
 * @param bySymbol        candles, signals, trades, win rate, realized P&amp;L and open positions per symbol
 *                        ({@link SymbolResults}); printed for a replay of several symbols
 * @param candle          the candle size, e.g. {@code 1m}
 * @param notices         what the input needed (timestamp units, sorting, bars, data coarser than the candle), and the
 *                        ticks in candle windows that never closed ({@link UnclosedCandles})
 * @param resumedFrom     ticks already in the namespace when the replay started (a resumed replay), 0 for a fresh one
 * @param notDrainedBecause why the pipeline did not drain ({@code timed out}, or {@code a task stopped for good: …}
 *                        naming each stopped task and its cause); null when it drained
 */
public record ReplayReport(long ticksRead, long ticksPublished, long malformedLines, long recordsProcessed,
                           long duplicatesSkipped, long deadLettered, Map<String, Long> deadLettersByReason,
                           Map<String, Long> refusedByReason,
                           long droppedLate, long droppedByStages, long commits, double seconds, double ticksPerSecond, boolean drained,
                           Map<String, Long> eventsPerStream, Map<String, Long> regimes, Map<String, Long> signalsByDirection,
                           Map<String, Long> declinesByGate, Map<String, Long> riskDecisions,
                           Map<String, Long> vetoesByReason, Map<String, Long> cancelledByReason,
                           Map<String, Long> countedByProcessors, long trades, double winRatePct, double realizedPnlUsd,
                           Map<String, Double> realizedPnlByDay, double maxDrawdownPct, long killSwitchActivations,
                           Map<String, Long> exitsByReason, Map<String, Long> tickToExitLatencyMs, long positionsOpened,
                           List<ReplayPortfolio.OpenPosition> openPositions, ReplayPortfolio.Reconciliation reconciliation,
                           List<String> deRiskChanges, List<String> symbols,
                           Map<String, SymbolResults.Result> bySymbol, String candle, List<String> notices,
                           long resumedFrom, String notDrainedBecause) {

    static ReplayReport collect(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, long read, long published,
                                long malformed, StreamsRuntime runtime, double seconds, boolean drained, double startingEquity,
                                List<PositionClosed> closed, List<io.quantumtrader.trader.events.RefusedTick> refused,
                                List<String> symbols, String candle, List<String> notices,
                                long resumedFrom, String notDrainedBecause) {
        Map<String, Integer> dlqs = deadLetterStreams(catalog, runtime);
        Map<String, Integer> streams = new LinkedHashMap<>();
        catalog.streams().keySet().forEach(s -> streams.put(s, catalog.spec(s).partitions()));
        dlqs.forEach(streams::putIfAbsent);
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, Integer> stream : streams.entrySet()) {
            long n = 0;
            for (int p = 0; p < stream.getValue(); p++) {
                // entries ever added, not the length: retention and the repartition streams' purge of what their
                // reader processed (RetentionTrimmer) remove entries while a long replay runs
                long added = ReplayResume.entriesAdded(redis, keys.stream(stream.getKey(), p));
                if (added < 0) {
                    Long len = redis.opsForStream().size(keys.stream(stream.getKey(), p)).block();
                    added = len == null ? 0 : len;
                }
                n += added;
            }
            if (n > 0) {
                counts.put(stream.getKey(), n);
            }
        }
        Map<String, Long> regimes = new TreeMap<>();
        payloads(redis, keys, catalog, QuantumTraderTopology.REGIMES, RegimeUpdate.class)
                .forEach(r -> regimes.merge(r.regime().name(), 1L, Long::sum));
        Map<String, Long> signals = new TreeMap<>();
        List<Signal> signalList = payloads(redis, keys, catalog, QuantumTraderTopology.SIGNALS, Signal.class);
        signalList.forEach(s -> signals.merge(s.direction().name(), 1L, Long::sum));
        Map<String, Long> declines = new TreeMap<>();
        payloads(redis, keys, catalog, QuantumTraderTopology.NO_SIGNALS, NoSignal.class)
                .forEach(s -> declines.merge(s.gate(), 1L, Long::sum));
        Map<String, Long> decisions = new TreeMap<>();
        ReasonGroups vetoes = new ReasonGroups();
        payloads(redis, keys, catalog, QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).forEach(e -> {
            decisions.merge(e.decision().name(), 1L, Long::sum);
            if (e.decision() == RiskEvaluation.Decision.VETOED) {
                vetoes.add(e.vetoReason());
            }
        });
        ReasonGroups cancelled = new ReasonGroups();
        payloads(redis, keys, catalog, QuantumTraderTopology.REJECTED, io.quantumtrader.trader.events.OrderRejected.class)
                .forEach(o -> cancelled.add(o.reason()));
        Map<String, Long> counted = new TreeMap<>();
        runtime.metrics().registry().find("qt.streams.node.records.counted").counters().forEach(c -> {
            if (c.count() > 0) {
                counted.merge(c.getId().getTag("node") + " " + c.getId().getTag("reason"), (long) c.count(), Long::sum);
            }
        });
        Map<String, Double> byDay = new TreeMap<>();
        Map<String, Long> exits = new TreeMap<>();
        double equity = startingEquity;
        double peak = equity;
        double maxDd = 0;
        Trades tally = Trades.of(closed);
        long trades = tally.trades();
        long wins = tally.wins();
        double total = 0;
        for (PositionClosed c : closed) {
            String day = Instant.ofEpochMilli(c.closedAt()).atZone(ZoneOffset.UTC).toLocalDate().toString();
            byDay.merge(day, c.realizedPnl(), Double::sum);
            exits.merge(String.valueOf(c.exitReason()), 1L, Long::sum);
            total += c.realizedPnl();
            equity += c.realizedPnl();
            peak = Math.max(peak, equity);
            maxDd = Math.max(maxDd, (peak - equity) / peak * 100);
        }
        byDay.replaceAll((d, v) -> Math.round(v * 100) / 100.0);
        ReplayPortfolio portfolio = ReplayPortfolio.of(startingEquity,
                payloads(redis, keys, catalog, QuantumTraderTopology.FILLS, io.quantumtrader.trader.events.OrderFilled.class),
                payloads(redis, keys, catalog, QuantumTraderTopology.UPDATES, io.quantumtrader.trader.events.PositionUpdate.class),
                closed);
        List<String> deRisk = payloads(redis, keys, catalog, QuantumTraderTopology.DERISK, io.quantumtrader.trader.events.DeRiskUpdate.class)
                .stream().sorted(java.util.Comparator.comparingLong(io.quantumtrader.trader.events.DeRiskUpdate::changedAt))
                .map(d -> Instant.ofEpochMilli(d.changedAt()) + " " + d.previous() + " -> " + d.state() + ": " + d.reason()).toList();
        return new ReplayReport(read, published, malformed, runtime.counters().recordsIn(), runtime.counters().duplicates(),
                runtime.counters().deadLettered(), deadLettersByReason(redis, keys, dlqs), refusedByReason(refused),
                runtime.counters().droppedLate(), runtime.counters().dropped(), runtime.counters().commits(), seconds,
                // this run's ticks: a resumed replay's published count includes the ticks it found in the namespace
                // (review 2026-12-06: 8,000 ticks/s reported by a run that published none)
                (published - resumedFrom) / seconds, drained,
                counts, regimes, signals, declines, decisions, vetoes.counts(), cancelled.counts(), counted, trades, trades == 0 ? 0 : Math.round(wins * 1000.0 / trades) / 10.0,
                Math.round(total * 100) / 100.0, byDay, Math.round(maxDd * 100) / 100.0,
                counts.getOrDefault(QuantumTraderTopology.KILL_SWITCH, 0L), exits, latency(redis, keys, catalog),
                counts.getOrDefault(QuantumTraderTopology.OPENED, 0L), portfolio.openPositions(), portfolio.reconciliation(), deRisk,
                symbols, SymbolResults.of(symbols, payloads(redis, keys, catalog, QuantumTraderTopology.CANDLES,
                        io.quantumtrader.trader.events.Candle.class), signalList, closed, portfolio.openPositions()),
                candle, notices, resumedFrom, drained ? null : notDrainedBecause);
    }

    /** @return the map ordered by count, largest first (ties by key) */
    static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * @return every catalog stream's dead-letter stream ({@code <stream>.dlq}) and every one the runtime's topology may
     *         write ({@link DeadLetterStreams}: a processor's {@code <application-id>.<node>.dlq} too, missing from the
     *         report until 2026-12-07), each with its partitions
     */
    static Map<String, Integer> deadLetterStreams(StreamCatalog catalog, StreamsRuntime runtime) {
        Map<String, Integer> dlqs = catalogDeadLetterStreams(catalog);
        DeadLetterStreams.of(runtime.topology(), catalog).forEach((dlq, n) -> dlqs.merge(dlq, n, Math::max));
        return dlqs;
    }

    /** @return every catalog stream's dead-letter stream ({@code <stream>.dlq}) with its partitions, in catalog order */
    private static Map<String, Integer> catalogDeadLetterStreams(StreamCatalog catalog) {
        Map<String, Integer> dlqs = new LinkedHashMap<>();
        catalog.streams().keySet().forEach(s -> dlqs.put(StreamKeys.deadLetter(s),
                catalog.spec(StreamKeys.deadLetter(s)).partitions()));
        return dlqs;
    }

    /** @return {@link #deadLettersByReason(ReactiveStringRedisTemplate, StreamKeys, Map)} of the catalog streams' {@code .dlq} */
    static Map<String, Long> deadLettersByReason(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog) {
        return deadLettersByReason(redis, keys, catalogDeadLetterStreams(catalog));
    }

    /**
     * @param dlqs dead-letter streams with their partitions ({@link #deadLetterStreams})
     * @return their entries by {@code error.reason}, or {@code failed in <error.stage> (<simple name of
     *         error.class>)} for one without a reason (a processor that failed after its retries); most frequent first
     */
    static Map<String, Long> deadLettersByReason(ReactiveStringRedisTemplate redis, StreamKeys keys, Map<String, Integer> dlqs) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, Integer> d : dlqs.entrySet()) {
            String dlq = d.getKey();
            for (int p = 0; p < d.getValue(); p++) {
                forEachEntry(redis, keys.stream(dlq, p), r -> {
                    Map<String, String> f = StreamEntry.fieldsOf(r);
                    String reason = f.get("error.reason");
                    if (reason == null) {
                        String type = String.valueOf(f.get("error.class"));
                        reason = "failed in " + f.get("error.stage") + " (" + type.substring(type.lastIndexOf('.') + 1) + ")";
                    }
                    counts.merge(reason, 1L, Long::sum);
                });
            }
        }
        return sortedByCount(counts);
    }

    /** @return the prints in {@code market.tick.refused} (every partition) by reason; most frequent first */
    static Map<String, Long> refusedByReason(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog) {
        return refusedByReason(payloads(redis, keys, catalog, QuantumTraderTopology.REFUSED_TICKS,
                io.quantumtrader.trader.events.RefusedTick.class));
    }

    /** @return {@code refused} (the prints of {@code market.tick.refused}) by reason; most frequent first */
    static Map<String, Long> refusedByReason(List<io.quantumtrader.trader.events.RefusedTick> refused) {
        Map<String, Long> counts = new TreeMap<>();
        refused.forEach(t -> counts.merge(t.reason(), 1L, Long::sum));
        return sortedByCount(counts);
    }

    /**
     * Tick published → exit decision published, from Redis entry ids (arrival times) joined on the trace id. The exits
     * are read first, so that of the ticks only theirs are kept.
     */
    static Map<String, Long> latency(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog) {
        Map<String, List<Long>> exitArrivals = new java.util.HashMap<>();
        for (int p = 0; p < catalog.spec(QuantumTraderTopology.EXITS).partitions(); p++) {
            forEachEntry(redis, keys.stream(QuantumTraderTopology.EXITS, p), r -> exitArrivals
                    .computeIfAbsent(String.valueOf(Envelope.traceIdOf(StreamEntry.fieldsOf(r))), t -> new ArrayList<>())
                    .add(StreamEntry.millisOf(r.getId().getValue())));
        }
        Map<String, Long> tickArrival = new java.util.HashMap<>();
        for (int p = 0; p < catalog.spec(QuantumTraderTopology.TICKS).partitions() && !exitArrivals.isEmpty(); p++) {
            forEachEntry(redis, keys.stream(QuantumTraderTopology.TICKS, p), r -> {
                String trace = String.valueOf(Envelope.traceIdOf(StreamEntry.fieldsOf(r)));
                if (exitArrivals.containsKey(trace)) {
                    // the first arrival: a tick published again into the namespace has the same trace id (ReplayInput)
                    tickArrival.putIfAbsent(trace, StreamEntry.millisOf(r.getId().getValue()));
                }
            });
        }
        List<Long> latencies = new ArrayList<>();
        exitArrivals.forEach((trace, exits) -> {
            Long tick = tickArrival.get(trace);
            if (tick != null) {
                exits.forEach(exit -> latencies.add(exit - tick));
            }
        });
        latencies.sort(Long::compare);
        Map<String, Long> out = new LinkedHashMap<>();
        if (!latencies.isEmpty()) {
            for (double q : new double[]{0.5, 0.95, 0.99}) {
                out.put("p" + Math.round(q * 100), latencies.get((int) Math.min(latencies.size() - 1, Math.floor(q * latencies.size()))));
            }
            out.put("max", latencies.get(latencies.size() - 1));
        }
        return out;
    }

    /** Entries read per XRANGE: a whole 100,000-entry stream in one reply held Redis and the shared connection for seconds. */
    static final int PAGE = 2_000;

    /**
     * Reads every entry of stream {@code key}, {@link #PAGE} at a time (XRANGE key (last-id + COUNT n), so the tasks'
     * lease renewals and commits on the shared connection are never queued behind one huge reply, and gives each to
     * {@code entry} as its page arrives: a page is garbage once read (holding the 100,000 ticks' entries until the end
     * kept the collector busy copying them, 0.4–0.8 of a core during the report, docs/BENCHMARKS.md 2026-12-04 16:47).
     */
    static void forEachEntry(ReactiveStringRedisTemplate redis, String key,
                             java.util.function.Consumer<org.springframework.data.redis.connection.stream.MapRecord<String, Object, Object>> entry) {
        Range<String> range = Range.unbounded();
        while (true) {
            List<org.springframework.data.redis.connection.stream.MapRecord<String, Object, Object>> page = redis.opsForStream()
                    .range(key, range, org.springframework.data.redis.connection.Limit.limit().count(PAGE)).collectList().block();
            if (page == null || page.isEmpty()) {
                return;
            }
            page.forEach(entry);
            if (page.size() < PAGE) {
                return;
            }
            range = Range.rightUnbounded(Range.Bound.exclusive(page.get(page.size() - 1).getId().getValue()));
        }
    }

    /**
     * @return the payloads of every partition of {@code stream}: one partition's in their order, several merged by
     *         (event time, subject)
     */
    static <T> List<T> payloads(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                                        String stream, Class<T> type) {
        JsonSerde<T> serde = new JsonSerde<>(type);
        List<Envelope> all = new ArrayList<>();
        int partitions = catalog.spec(stream).partitions();
        for (int p = 0; p < partitions; p++) {
            forEachEntry(redis, keys.stream(stream, p), r -> all.add(Envelope.fromFields(stream, StreamEntry.fieldsOf(r))));
        }
        if (partitions > 1) {
            // one partition holds its entries in the order they were produced; several are merged by (event time,
            // subject), stable: the order the portfolio produces them in (by event time, one millisecond by symbol)
            all.sort(java.util.Comparator.<Envelope>comparingLong(e -> e.time().toEpochMilli())
                    .thenComparing(e -> e.subject() == null ? "" : e.subject()));
        }
        return all.stream().map(e -> serde.deserialize(e.data())).toList();
    }

    void print(PrintStream out) {
        out.println("== replay report ==");
        out.printf("ticks read           %,d (%s; %s candles)%n", ticksRead, String.join(", ", symbols), candle);
        notices.forEach(n -> out.println("  " + n));
        if (resumedFrom > 0) {
            out.printf("resumed              after %,d ticks already in the namespace%n", resumedFrom);
        }
        out.printf("ticks published      %,d%n", ticksPublished);
        out.printf("malformed CSV lines  %,d%n", malformedLines);
        out.printf("records processed    %,d (all stages)%n", recordsProcessed);
        if (duplicatesSkipped > 0) {
            out.printf("duplicates skipped   %,d (event ids processed before: ticks published again into the namespace)%n", duplicatesSkipped);
        }
        out.printf("dead-lettered        %,d%n", deadLettered);
        if (!deadLettersByReason.isEmpty()) {
            out.println("dead letters by reason (the namespace's .dlq streams):");
            deadLettersByReason.forEach((r, n) -> out.printf("  %-50s %,d%n", r, n));
        }
        out.printf("late ticks dropped   %,d%n", droppedLate);
        out.printf("dropped by stages    %,d (a null key or value, a time no window can hold)%n", droppedByStages);
        out.printf("refused (price band) %,d (%s: prints no stage saw, %s)%n",
                eventsPerStream.getOrDefault(QuantumTraderTopology.REFUSED_TICKS, 0L), QuantumTraderTopology.REFUSED_TICKS,
                refusedByReason.isEmpty() ? "reasons price_band, price_band_unconfirmed, price_band_overflow" : "by reason " + refusedByReason);
        out.printf("commits              %,d%n", commits);
        out.printf("elapsed              %.1f s (%,.0f ticks/s end to end)%n", seconds, ticksPerSecond);
        out.printf("drained              %s%n", drained ? "yes (lag 0, nothing pending)" : "NO: " + notDrainedBecause);
        out.println("events per stream:");
        int width = Math.max(32, eventsPerStream.keySet().stream().mapToInt(String::length).max().orElse(0));
        eventsPerStream.forEach((s, n) -> out.printf("  %-" + width + "s %,d%n", s, n));
        out.println("regimes:            " + regimes);
        out.println("signals:            " + signalsByDirection);
        out.println("declined, by gate:  " + declinesByGate);
        out.println("risk decisions:     " + riskDecisions);
        out.println("vetoed, by reason:");
        int reasonWidth = vetoesByReason.keySet().stream().mapToInt(String::length).max().orElse(0);
        String row = "  %-" + Math.max(50, reasonWidth) + "s %,d%n";
        vetoesByReason.forEach((r, n) -> out.printf(row, r, n));
        if (!cancelledByReason.isEmpty()) {
            out.println("orders cancelled, by reason:");
            int cancelWidth = cancelledByReason.keySet().stream().mapToInt(String::length).max().orElse(0);
            String cancelRow = "  %-" + Math.max(50, cancelWidth) + "s %,d%n";
            cancelledByReason.forEach((r, n) -> out.printf(cancelRow, r, n));
        }
        if (!countedByProcessors.isEmpty()) {
            out.printf("counted by processors %s%n", countedByProcessors);
        }
        out.printf("trades               %,d (win rate %.1f%%), exits by reason %s%n", trades, winRatePct, exitsByReason);
        out.printf("realized P&L         %,.2f USD; max realized drawdown %.2f%%; kill switch activations %d%n", realizedPnlUsd,
                maxDrawdownPct, killSwitchActivations);
        out.printf("positions            %,d opened, %,d closed, %,d open at the end%n", positionsOpened, trades, openPositions.size());
        // the position's unrealized P&L before its entry fee, the equity line's net of entry fees: both said, so the lines
        // add up for a reader (found in review, 2026-12-07: both said "unrealized" and differed by the entry fees)
        openPositions.forEach(p -> out.printf("  open %-10s %-5s %,.6f @ %,.4f, mark %,.4f, unrealized %,.2f USD before its entry fee%n", p.symbol(),
                p.direction(), p.quantity(), p.entry(), p.mark(), p.unrealizedPnl()));
        ReplayPortfolio.Reconciliation r = reconciliation;
        out.printf("equity               %,.2f USD = %,.2f starting %+,.2f realized %+,.2f unrealized net of entry fees; by cash and marks %,.2f: %s%n",
                r.equityByPnlUsd(), r.startingEquityUsd(), r.realizedPnlUsd(), r.unrealizedPnlUsd(), r.equityByCashUsd(),
                r.reconciled() ? "reconciled (difference " + r.differenceUsd() + " USD)"
                        : "NOT RECONCILED: difference " + r.differenceUsd() + " USD beyond " + r.toleranceUsd());
        out.println("de-risk state changes: " + (deRiskChanges.isEmpty() ? "none (NORMAL throughout)" : ""));
        deRiskChanges.forEach(d -> out.println("  " + d));
        SymbolResults.print(bySymbol, out);
        out.println("realized P&L by UTC day (USD):");
        realizedPnlByDay.forEach((d, v) -> out.printf("  %s  %,12.2f%n", d, v));
        out.println("tick -> exit decision latency (ms, published to published): " + tickToExitLatencyMs);
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JsonSerde.defaultMapper().writerWithDefaultPrettyPrinter().writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Positions closed and won, from {@code position.closed}: a position closed in parts (HARD_DERISK's reductions) is
     * one trade, counted at its last close (not {@code partial}), won when its P&amp;L over all its parts is positive.
     *
     * @param trades positions closed
     * @param wins   of which with a positive realized P&amp;L
     */
    record Trades(long trades, long wins) {

        static Trades of(List<PositionClosed> closed) {
            long trades = 0;
            long wins = 0;
            for (PositionClosed c : closed) {
                if (!c.partial()) {
                    trades++;
                    wins += c.positionRealizedPnl() > 0 ? 1 : 0;
                }
            }
            return new Trades(trades, wins);
        }
    }
}
