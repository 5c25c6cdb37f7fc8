package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.trader.QuantumTraderTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The main job: replays a trades CSV through the trading topology on Redis and prints what happened.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay real trades (default: 100,000 Bitstamp BTC/USD trades, 2013-11-25..12-01) through the pipeline.")
final class ReplayCommand implements Callable<Integer> {

    /** The regime detector's rules the replay's topology runs with (the report's warm-up notice counts from them). */
    private static final io.quantumtrader.trader.regime.RegimeRules REGIME_RULES = io.quantumtrader.trader.regime.RegimeRules.defaults();

    @Option(names = "--file", paramLabel = "[SYMBOL=]PATH", description = "input CSV, repeatable: trades (timestamp,price,amount; "
            + "epoch seconds, or ms/us/ns: detected and converted) of SYMBOL (default --symbol), or prices of several symbols "
            + "(a header with symbol,date,price columns: bars, replayed as one tick per date); unsorted files are sorted; "
            + "several files are merged by time; default: the bundled Bitstamp file")
    List<String> files;

    @Option(names = "--symbol", defaultValue = "BTC-USD", description = "symbol of the ticks of a trades file given without SYMBOL= "
            + "(default: ${DEFAULT-VALUE})")
    String symbol;

    @Option(names = "--candle", defaultValue = "1m", description = "candle size: 1m, 5m, 1h, 1d, ... (default: ${DEFAULT-VALUE}); "
            + "a warning names symbols whose prices are further apart than this")
    String candleSize;

    @Option(names = "--namespace", description = "Redis key namespace (default: replay-<epoch ms>, a fresh one per run)")
    String namespace;

    /**
     * How often a task punctuates: a task without new records moves its watermark on. 250 ms for the replay against
     * the engine's 1 s: before end-of-input notices ({@code StreamsRuntime#inputEnded}), "no more ticks" reached the
     * portfolio through the candle, regime and signal tasks at their punctuations, and with 1 s the replay of 100,000
     * ticks took 5.1–6.6 s, in steps of about a second, with 250 ms 5.1–5.2 s, with 100 ms no faster but with more
     * commits (docs/BENCHMARKS.md, 2026-12-04 08:37 section).
     */
    @Option(names = "--punctuation-ms", defaultValue = "250",
            description = "how often tasks punctuate: a task without new records moves its watermark on, ms (default: ${DEFAULT-VALUE})")
    long punctuationMs;

    /**
     * Entries a task reads, processes and commits at once: the engine's default, 2,000. The replay chose 2,000 first,
     * while the engine's default was 500: each batch pays a fenced read, the aligned inputs' watermark reads and a
     * commit script whatever its size, and the replay's two serial tasks (market data, portfolio) ran 100,000 ticks
     * 5–20 % faster (median 14 %) with 2,000 than with 500 in each of seven alternating pairs, with the same report
     * otherwise (docs/BENCHMARKS.md, 2026-12-04).
     */
    @Option(names = "--batch-size", defaultValue = "" + StreamsConfig.DEFAULT_BATCH_SIZE,
            description = "task batch size: entries read, processed and committed at once (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--daily-kill-switch-reset", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "reset the kill switch at each UTC day, standing in for the operator's morning reset (default: ${DEFAULT-VALUE}; "
                    + "--no-daily-kill-switch-reset keeps it off for the rest of the replay, as in production until a human reset)")
    boolean dailyKillSwitchReset;

    @Option(names = "--speed", defaultValue = "0", description = "replay speed: 0 = as fast as possible (default), "
            + "N = N seconds of market time per second of wall time (60: a minute of trades per second)")
    double speed;

    @Option(names = "--risk-rules", description = "risk rules YAML (default: config/risk-rules.yaml when present, else built-in defaults)")
    Path riskRulesFile;

    @Option(names = "--timeout", defaultValue = "10m", description = "how long to wait for the pipeline to drain, e.g. 90s, 10m or PT10M (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /**
     * Refuses numeric options out of range before anything starts (exit code 2, naming the option): a negative or
     * non-finite {@code --speed} ran as fast as possible, or paced by NaN; {@code --punctuation-ms 0} hung the replay
     * (no tick passed in 40 s); {@code --batch-size 0} was refused only after Redis had started, as "batchSize";
     * {@code --timeout} of zero or less gave up at once (found 2026-12-06, {@code CliFailuresTest}).
     *
     * @throws CliException (exit code 2) for the first option out of range
     */
    private void checkOptions() {
        if (!Double.isFinite(speed) || speed < 0) {
            throw badOption("--speed " + speed, "give 0 (as fast as possible) or a positive number of market seconds per second of wall time, e.g. 60");
        }
        if (batchSize < 1) {
            throw badOption("--batch-size " + batchSize, "give the entries a task reads and commits at once, at least 1 (default " + StreamsConfig.DEFAULT_BATCH_SIZE + ")");
        }
        if (punctuationMs < 1) {
            throw badOption("--punctuation-ms " + punctuationMs, "give how often tasks punctuate in ms, at least 1 (default 250)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            // said "invalid --timeout PT0S", a form the user did not type (found in review, 2026-12-07)
            throw badOption("--timeout " + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms")
                    + ": it must be longer than 0", "give how long to wait for the pipeline to drain, e.g. 10m");
        }
    }

    private static CliException badOption(String given, String hint) {
        return new CliException(CliException.INPUT, "invalid " + given, hint, null);
    }

    /** Which JIT compilers the replay runs with (constants named as typed on the command line). */
    enum Jit { c1, tiered }

    @Option(names = "--jit", defaultValue = "c1", description = "c1: compile with HotSpot's C1 only (-XX:TieredStopAtLevel=1: "
            + "less CPU for a run this short; a replay started without it runs in a second JVM started with it, or under a "
            + "compiler directive when it cannot), tiered: the JVM's own C1 + C2 (default: ${DEFAULT-VALUE})")
    Jit jit;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PrintStream out = System.out;
        // before the input is parsed: the whole run compiles with C1 only
        C1OnlyJvm.Jvm jvm = C1OnlyJvm.Jvm.current();
        jvm.parentPid().ifPresent(parent -> C1OnlyJvm.stopWithParent(parent, System.err));
        String compilers;
        if (jit == Jit.tiered) {
            compilers = "the JVM's own (C1 + C2)";
        } else if (jvm.c1OnlyByFlag()) {
            compilers = "C1 only (-XX:TieredStopAtLevel=1" + jvm.parentPid()
                    .map(parent -> ", in a JVM started for the replay: pid " + ProcessHandle.current().pid()
                            + C1OnlyJvm.added(jvm.jvmOptions()).stream().map(o -> ", " + o).collect(Collectors.joining()) + ")")
                    .orElse(")");
        } else {
            C1OnlyJvm.Plan plan = C1OnlyJvm.plan(jvm);
            if (plan.relaunch()) {
                try {
                    return C1OnlyJvm.run(plan);
                } catch (java.io.IOException e) {
                    plan = new C1OnlyJvm.Plan(null, "a JVM with -XX:TieredStopAtLevel=1 could not be started: " + e.getMessage());
                }
            }
            String why = plan.reason();
            compilers = C1OnlyDirective.apply()
                    .map(failed -> "the JVM's own (C1 only could not be set: " + failed + ")")
                    .orElse("C1 only, by a compiler directive (" + why + "; --jit tiered for C2 as well)");
        }
        Duration candle = ReplayInputs.candle(candleSize);
        // Redis (and Lettuce's classes) start while the CSV is parsed: ~2 s each in a cold JVM
        RedisStarting redisStarting = RedisStarting.start(RedisConnection::fromEnvironment);
        ReplayInputs inputs;
        StreamCatalog catalog;
        io.quantumtrader.trader.risk.RiskRules riskRules;
        List<String> notices;
        Topology topology;
        String ns = namespace != null ? namespace : "replay-" + System.currentTimeMillis();
        try {
            inputs = ReplayInputs.load(files, symbol);
            try {
                new StreamKeys(ns);
            } catch (IllegalArgumentException e) {
                throw new CliException(CliException.INPUT, e.getMessage(), "choose another --namespace", e);
            }
            catalog = loadCatalog();
            riskRules = loadRiskRules().withKillSwitchResetsDaily(dailyKillSwitchReset);
            notices = inputs.notices(candle, riskRules.pendingEntryExpiryCandles());
            topology = QuantumTraderTopology.build(REGIME_RULES, riskRules, candle);
        } catch (Exception | Error e) {
            redisStarting.discard();
            throw e;
        }
        for (ReplayInput in : inputs.inputs()) {
            out.printf("read %,d ticks of %s from %s%n", in.trades().size(), String.join(", ", in.symbols()), in.name());
        }
        notices.forEach(out::println);

        try (RedisConnection redis = redisStarting.get();
             RedisDatabaseWatch database = RedisDatabaseWatch.of(redis)) {
            try {
                out.printf("redis: %s, namespace '%s'%n", redis.description(), ns);
                out.printf("jit compilers: %s%n", compilers);
                out.printf("kill switch: %s%n", dailyKillSwitchReset
                        ? "reset at each UTC day (the replay stands in for the operator's morning reset)"
                        : "stays on until a human reset");
                StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog).withBatchSize(batchSize)
                        .withPunctuationInterval(java.time.Duration.ofMillis(punctuationMs))
                        .withAlignment(io.quantumtrader.streams.runtime.InputAlignment.byWatermarks())   // the portfolio's inputs in event time
                        // serve's max-stream-time-lead, for the consumers' stream-time cap and the ticks' watermark
                        .withIngest(io.quantumtrader.streams.runtime.IngestLimits.defaults()
                                .withMaxStreamTimeLead(StreamTimeLeadSetting.fromEnvironment(System.getenv())));
                // the ticks' watermark leads Redis' clock by at most the lead the replay's consumers cap stream time with
                EventPublisher publisher = EventPublisher.of(redis.template(), config, "replay");
                long started = System.nanoTime();
                try (StreamsRuntime runtime = new StreamsRuntime(topology, config, redis.template())
                        .withCommitOptions(CommitDurabilitySettings.fromEnvironment(System.getenv()))
                        .withFailureDescription(database)) {
                    runtime.start();
                    List<ReplayInputs.Tick> trades = inputs.merged();
                    ReplayResume.Resume resume = ReplayResume.resume(redis.template(), new StreamKeys(ns), catalog, QuantumTraderTopology.TICKS,
                            () -> trades.stream().map(t -> new ReplayResume.Published(t.eventId(), t.tick().symbol())).toList());
                    int from = resume.found();
                    if (from > 0 && resume.from() == from) {
                        out.printf("resuming: namespace '%s' holds the first %,d ticks already; publishing from tick %,d%n", ns, from, from + 1);
                    } else if (from > 0) {
                        out.printf("resuming: namespace '%s' holds %,d of the ticks already (each partition's first ones); publishing "
                                + "the other %,d, from tick %,d%n", ns, from, trades.size() - from, resume.from() + 1);
                    }
                    ConsoleProgress progress = new ConsoleProgress(out, "replay", trades.size()).startingAt(from);
                    AtomicLong published = new AtomicLong(from);
                    try (ReplayInterruption interruption = ReplayInterruption.register(System.err, ns, published, trades.size(),
                            redis.startedForThisRun())) {
                        // only what each partition lacks: a tick of another partition sent again was processed twice when the
                        // replay was resumed after the engine's dedupe window (review 2026-12-06)
                        List<ReplayInputs.Tick> rest = new java.util.ArrayList<>(trades.size() - from);
                        for (int i = resume.from(); i < trades.size(); i++) {
                            if (!resume.published(i, trades.get(i).tick().symbol())) {
                                rest.add(trades.get(i));
                            }
                        }
                        Flux<ReplayInputs.Tick> paced = ReplayPacing.paced(rest, t -> t.tick().timestamp(), speed, progress::say);
                        // counted once Redis has them: counted as handed over, the progress and an interruption's
                        // "published" ran up to three batches (1,500 ticks) ahead of Redis (review 2026-12-07)
                        database.unlessLost(publisher.sendAll(paced
                                        .map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.tick().symbol(), t.tick(),
                                                t.tick().timestamp(), t.eventId())), speed <= 0 ? 500 : 1, true,
                                        appended -> progress.update(published.addAndGet(appended)))
                                // the ticks' watermark (published with each batch) ends at "no more ticks": an aligned consumer
                                // of the ticks and another input is never held by the end of the file (docs/OPERATIONS.md)
                                .then(publisher.watermark(QuantumTraderTopology.TICKS, Long.MAX_VALUE)))
                                .block();
                        // the tasks pass "no more ticks" on once they have processed the rest, not at their next punctuation
                        runtime.inputEnded(QuantumTraderTopology.TICKS);
                        boolean drained = database.awaitDrained(runtime, timeout);
                        double seconds = (System.nanoTime() - started) / 1e9;
                        boolean stoppedForGood = runtime.state() == io.quantumtrader.streams.runtime.RuntimeState.ERROR;
                        Map<String, String> stopped = stoppedForGood ? runtime.group().failing() : Map.of();
                        if (!drained) {
                            List<String> left = runtime.undrained();
                            if (stoppedForGood) {
                                // awaitDrained returns at once then: no timeout passed (review 2026-12-06: it said "did not
                                // drain within PT10M" a second after publishing, and the report "timed out")
                                out.println("the pipeline stopped before it drained: a task stopped for good");
                                stopped.forEach((task, cause) -> out.println("  task " + task + " stopped: " + Secrets.redact(cause)));
                                out.println("what is left:");
                            } else {
                                out.printf("the pipeline did not drain within %s; what is left:%n", timeout);
                            }
                            (left.isEmpty() ? List.of("nothing now (it drained after the timeout, or the runtime stopped)") : left)
                                    .forEach(line -> out.println("  " + line));
                        }
                        List<io.quantumtrader.trader.events.PositionClosed> closed = ReplayReport.payloads(redis.template(),
                                new StreamKeys(ns), catalog, QuantumTraderTopology.CLOSED, io.quantumtrader.trader.events.PositionClosed.class);
                        // the charts are drawn on a thread of their own while the report reads the other streams back: both
                        // took ~0.8 s one after the other (docs/BENCHMARKS.md, 2026-12-04 16:47 section)
                        Path reportDir = Path.of("target", "replay");
                        List<io.quantumtrader.trader.events.Candle> candles = ReplayReport.payloads(redis.template(),
                                new StreamKeys(ns), catalog, QuantumTraderTopology.CANDLES, io.quantumtrader.trader.events.Candle.class);
                        ReplayCharts charts = ReplayCharts.draw(reportDir, () -> candles, closed, riskRules.startingEquityUsd(),
                                ReplayInputs.label(candle));
                        List<String> reportNotices = new java.util.ArrayList<>(notices);
                        List<io.quantumtrader.trader.events.RefusedTick> refused = ReplayReport.payloads(redis.template(),
                                new StreamKeys(ns), catalog, QuantumTraderTopology.REFUSED_TICKS, io.quantumtrader.trader.events.RefusedTick.class);
                        reportNotices.addAll(UnclosedCandles.notices(trades.stream().map(ReplayInputs.Tick::tick).toList(), candles,
                                refused.stream().map(io.quantumtrader.trader.events.RefusedTick::tick).toList()));
                        reportNotices.addAll(WarmUpSymbols.notices(inputs.symbols(), candles,
                                REGIME_RULES.warmUpCandles()));
                        ReplayReport report = ReplayReport.collect(redis.template(), new StreamKeys(ns), catalog, inputs.ticks(),
                                published.get(), inputs.malformed(), runtime, seconds, drained,
                                riskRules.startingEquityUsd(), closed, refused, inputs.symbols(), ReplayInputs.label(candle), reportNotices, from,
                                drained ? null : !stoppedForGood ? "timed out" : "a task stopped for good (see above): " + String.join("; ",
                                        stopped.entrySet().stream().map(e -> "task " + e.getKey() + " " + Secrets.redact(e.getValue())).toList()));
                        out.println();
                        report.print(out);
                        Path json = reportDir.resolve("report.json");
                        report.write(json);
                        out.printf("report written to %s%n", json);
                        out.printf("charts written to %s%n", charts.written());
                        return drained ? 0 : 1;
                    }
                }
            } catch (RuntimeException e) {
                // Redis lost REDIS_URL's database mid-run (restarted with a smaller 'databases' setting): the
                // publisher's commands time out while Lettuce's reconnects are refused; say why (review 2026-12-07)
                throw database.named(e);
            }
        }
    }

    io.quantumtrader.trader.risk.RiskRules loadRiskRules() {
        return RiskRulesFile.load(riskRulesFile).rules();
    }

    static StreamCatalog loadCatalog() {
        Path local = Path.of("topology/streams.yaml");
        if (Files.exists(local)) {
            return StreamCatalog.load(local);
        }
        InputStream in = ReplayCommand.class.getResourceAsStream("/topology/streams.yaml");
        return in == null ? StreamCatalog.defaults() : StreamCatalog.load(in);
    }
}
