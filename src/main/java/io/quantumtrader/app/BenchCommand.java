package io.quantumtrader.app;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.trader.events.PriceTick;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * Engine benchmarks (docs/BENCHMARKS.md): raw XADD rate, a plain pipelined XREADGROUP+XACK loop (the ceiling for
 * any consumer), and records/s through a stateless filter→mapValues→to stage and a stateful stage (KeyValueStore on
 * a Redis Hash), with batch commit. Each figure is records / wall-clock seconds from first read to drained.
 * {@code --latency}: per-hop latency at offered loads ({@link LatencyBenchmark}); {@code --soak}: heap and RSS over a
 * long run ({@link SoakBenchmark}). The first line names the Redis (binary, version, allocator) and the load average.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure engine throughput on this machine.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "1000000", description = "records per benchmark (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--warmup", defaultValue = "50000", description = "records per warm-up round: run through both topologies first, not measured, so the JIT compilers have done their work before the figures (0: no warm-up; default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--warmup-rounds", defaultValue = "8", description = "warm-up rounds at most: rounds repeat until the JIT compilers spend less than 5%% of a round compiling (default: ${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--batch-size", defaultValue = "" + StreamsConfig.DEFAULT_BATCH_SIZE, description = "XREADGROUP COUNT / task batch size, the engine's default (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--keys", defaultValue = "1000", description = "distinct record keys (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--latency", description = "measure per-hop latency (input XADD -> output entry in Redis) at the --rates instead of throughput")
    boolean latency;

    @Option(names = "--rates", split = ",", defaultValue = "1000,10000", description = "offered loads for --latency, records/s (default: ${DEFAULT-VALUE})")
    int[] rates;

    @Option(names = "--seconds", defaultValue = "10", description = "how long each --latency load is offered (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--latency-warmup", defaultValue = "30", description = "--latency: seconds each rate is offered first, not measured, so the JIT compilers have compiled its path (at least 1; default: ${DEFAULT-VALUE})")
    int latencyWarmupSeconds;

    @Option(names = "--idle-max-ms", defaultValue = "100", description = "--latency: longest wait between reads of an idle partition, ms (the runtime's default: ${DEFAULT-VALUE})")
    int idleMaxMs;

    @Option(names = "--input-notifier", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--latency: wake idle readers with the input notifier (XREAD BLOCK on its own connection); --no-input-notifier polls with the idle back-off alone (default: ${DEFAULT-VALUE})")
    boolean inputNotifier;

    @Option(names = "--soak", description = "memory over a long run instead of throughput: --rounds rounds of --records records, heap and RSS after each")
    boolean soak;

    @Option(names = "--rounds", defaultValue = "10", description = "rounds of --soak (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--keep-keys", description = "keep the keys the run wrote in Redis (all start with bench-<epoch ms>) instead of deleting them at the end")
    boolean keepKeys;

    /**
     * Refuses options out of range before Redis starts (exit code 2, naming the option). Before 2026-12-06
     * {@code --records 0} and {@code --keys 0} hung, {@code --records -5} failed as "count >= required but it was -5",
     * and {@code --rates 0} or {@code --seconds 0} measured nothing and said "0 of 0 outputs seen" ({@code CliFailuresTest}).
     *
     * @throws CliException (exit code 2) for the first option out of range
     */
    private void checkOptions() {
        atLeast("--records", records, 1);
        atLeast("--warmup", warmup, 0);
        atLeast("--warmup-rounds", warmupRounds, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--keys", keys, 1);
        for (int rate : rates) {
            atLeast("--rates", rate, 1);
        }
        atLeast("--seconds", seconds, 1);
        atLeast("--latency-warmup", latencyWarmupSeconds, 1);
        atLeast("--idle-max-ms", idleMaxMs, 1);
        atLeast("--rounds", rounds, 1);
    }

    private static void atLeast(String option, long given, long min) {
        if (given < min) {
            throw new CliException(CliException.INPUT, "invalid " + option + " " + given, "give at least " + min
                    + " (see 'quantum-trader bench --help')", null);
        }
    }

    /** A warm-up round in which the JIT compilers compiled for less than this fraction of its time ends the warm-up. */
    static final double SETTLED_COMPILE_SHARE = 0.05;

    /**
     * The watch of the run's connection, set by {@link #call()}: the topologies' task failures name a lost database, and
     * publishing and draining end as soon as Redis refuses it.
     */
    private RedisDatabaseWatch database;

    @Override
    public Integer call() {
        checkOptions();
        try (RedisConnection redis = RedisConnection.fromEnvironment();
             RedisDatabaseWatch watch = RedisDatabaseWatch.of(redis);
             BenchInterruption interruption = BenchInterruption.register(Thread.currentThread())) {
            database = watch;
            BenchKeys runKeys = new BenchKeys(System.currentTimeMillis());
            try {
                ReactiveStringRedisTemplate t = redis.template();
                // the server's version and allocator (the raw XADD rate differs ~3x between two 7.0.15 builds): REDIS_URL's
                // description named neither (found in review, 2026-12-07)
                String server = serverBuild(t);
                String description = server.isEmpty() || redis.description().contains(server.substring(0, server.indexOf(',')))
                        ? redis.description() : redis.description() + " (" + server + ")";
                System.out.printf("bench on %s: %,d records, batch %d, %d keys, %d cores, Java %s, %s, load average %s%n", description,
                        records, batchSize, keys, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                        heap(), loadAverage());
                if (latency) {
                    for (int rate : rates) {
                        LatencyBenchmark.run(redis, runKeys.namespace("latency-" + rate), rate, latencyWarmupSeconds, seconds, batchSize, Duration.ofMillis(idleMaxMs), inputNotifier, System.out);
                    }
                    return 0;
                }
                if (soak) {
                    SoakBenchmark.run(redis, runKeys.namespace("soak"), rounds, records, batchSize, keys, System.out);
                    return 0;
                }
                String ns = runKeys.prefix();

                OptionalDouble rawXadd = redisBenchmark(redis, ns + ":{0}:rb");
                if (rawXadd.isPresent()) {
                    System.out.printf("raw XADD, redis-benchmark -P 64 (no client)  %,12.0f entries/s%n", rawXadd.getAsDouble());
                }
                double xadd = rawXadd(t, ns + ":{0}:raw");
                System.out.printf("XADD via Spring Data Redis, 256 in flight     %,12.0f entries/s%n", xadd);

                long t0 = System.nanoTime();
                publish(t, ns + "-base");
                System.out.printf("publish via append.lua (%d per script)       %,12.0f entries/s%n", batchSize,
                        records / ((System.nanoTime() - t0) / 1e9));
                double baseline = readAckLoop(t, new StreamKeys(ns + "-base").stream("ticks", 0));
                System.out.printf("plain XREADGROUP COUNT %d + XACK loop        %,12.0f entries/s%n", batchSize, baseline);

                if (warmup > 0) {
                    List<JitWarmup.Round> done = JitWarmup.run(Math.max(1, warmupRounds), SETTLED_COMPILE_SHARE, n -> {
                        String r = ns + "-warmup-" + n;
                        publish(t, r + "-stateless", warmup);
                        runTopology(t, r + "-stateless", statelessTopology(), warmup, false);
                        publish(t, r + "-stateful", warmup);
                        runTopology(t, r + "-stateful", statefulTopology(), warmup, false);
                    }, JitWarmup::compileMillis, System::nanoTime);
                    System.out.printf("(warm-up, not measured: %d round%s of %,d records through each topology; %s)%n",
                            done.size(), done.size() == 1 ? "" : "s", warmup,
                            String.join("; ", done.stream().map(JitWarmup.Round::toString).toList()));
                }
                publish(t, ns + "-stateless");
                RedisServerTime before = redis.isCluster() ? null : RedisServerTime.now(t);
                double stateless = runTopology(t, ns + "-stateless", statelessTopology());
                System.out.printf("stateless filter->mapValues->to             %,12.0f records/s (%s)%n",
                        stateless, shares(stateless, baseline, rawXadd));
                if (before != null) {
                    System.out.println("  (" + RedisServerTime.now(t).perRecordSince(before, records) + ")");
                }

                publish(t, ns + "-stateful");
                before = redis.isCluster() ? null : RedisServerTime.now(t);
                double stateful = runTopology(t, ns + "-stateful", statefulTopology());
                System.out.printf("stateful process() + KeyValueStore -> to    %,12.0f records/s (%s)%n",
                        stateful, shares(stateful, baseline, rawXadd));
                if (before != null) {
                    System.out.println("  (" + RedisServerTime.now(t).perRecordSince(before, records) + ")");
                }
                return 0;
            } catch (RuntimeException e) {
                throw watch.named(e);   // REDIS_URL's database lost mid-run: said in words (review 2026-12-07)
            } finally {
                try {
                    if (interruption.interruptedForCleanup()) {
                        System.out.println("interrupted: the benchmark stopped before its end");
                    }
                    deleteKeys(redis, runKeys);
                } finally {
                    interruption.cleanupDone();
                }
            }
        }
    }

    /** Deletes the run's keys (unless {@code --keep-keys}), or says which are left and how to delete them. */
    private void deleteKeys(RedisConnection redis, BenchKeys runKeys) {
        if (keepKeys) {
            System.out.println("kept the benchmark's keys: " + runKeys.prefix() + "* (delete them with: "
                    + runKeys.manualDeletion() + ")");
            return;
        }
        try {
            long deleted = runKeys.delete(redis.template());
            System.out.printf("deleted the benchmark's %,d keys (%s*; --keep-keys keeps them)%n", deleted, runKeys.prefix());
        } catch (RuntimeException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
            System.err.println(Secrets.redact("could not delete the benchmark's keys " + runKeys.prefix() + "* (" + cause
                    + "); delete them with: " + runKeys.manualDeletion()));
        }
    }

    /** @return CPU time of this JVM so far (every thread: tasks, Lettuce, GC, JIT), ns; 0 when the JVM cannot tell */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /**
     * @return this JVM's heap as the figures depend on it: its initial and largest size and its collectors, e.g.
     *         {@code heap 384–6,144 MB (G1 Young Generation, G1 Old Generation)}; a heap that starts below its largest
     *         size is grown (and may be shrunk) by the collector during the run, which shows in the figures as page faults
     */
    static String heap() {
        java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String collectors = String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        long mb = 1024 * 1024;
        return heap.getInit() == heap.getMax()
                ? String.format(Locale.ROOT, "heap %,d MB fixed (%s)", heap.getMax() / mb, collectors)
                : String.format(Locale.ROOT, "heap %,d–%,d MB (%s)", heap.getInit() / mb, heap.getMax() / mb, collectors);
    }

    /** @return the 1-, 5- and 15-minute load averages (/proc/loadavg), or "n/a" */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * @return a topology's rate as shares of the plain loop's and (when redis-benchmark ran) of the raw XADD rate of
     *         this run, the form issue 12's targets take on a machine whose speed varies (stateless ≥ 15 %, stateful
     *         ≥ 10 % of raw XADD)
     */
    static String shares(double recordsPerSecond, double plainLoop, OptionalDouble rawXadd) {
        String loop = String.format(Locale.ROOT, "%.0f%% of the plain loop", 100 * recordsPerSecond / plainLoop);
        if (rawXadd.isEmpty()) {
            return loop;
        }
        return loop + String.format(Locale.ROOT, ", %.1f%% of raw XADD", 100 * recordsPerSecond / rawXadd.getAsDouble());
    }

    /**
     * Runs {@code redis-benchmark -P 64} XADD against the run's Redis. When it cannot run or measures nothing, says why
     * on one line instead of leaving the figure out: before (found in review, 2026-12-07) a REDIS_URL with a password
     * (redis-benchmark got no credentials: NOAUTH), TLS, a missing binary or a failed run dropped the line silently.
     * A password is not passed: redis-benchmark takes it only on its command line, which other users see in {@code ps}.
     *
     * @return redis-benchmark's XADD rate, entries/s; empty when it did not run or measured nothing (said on stdout)
     */
    private OptionalDouble redisBenchmark(RedisConnection redis, String key) {
        String skipped = "raw XADD, redis-benchmark: not measured (";
        if (redis.tls()) {
            System.out.println(skipped + "TLS: redis-benchmark would need the TLS files too; the Java figures below use TLS)");
            return OptionalDouble.empty();
        }
        if (redis.factory().getPassword() != null) {
            System.out.println(skipped + "REDIS_URL has a password, which redis-benchmark takes only on its command line, "
                    + "visible to other users in ps)");
            return OptionalDouble.empty();
        }
        try {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-benchmark", "-h", redis.host(),
                    "-p", String.valueOf(redis.port()), "-n", String.valueOf(records), "-P", "64", "-q"));
            if (redis.isCluster()) {
                command.add("--cluster");
            } else {
                // REDIS_URL's database: in database 0 the key was left behind, deleted in the URL's (review 2026-12-06)
                command.addAll(java.util.List.of("--dbnum", String.valueOf(redis.factory().getDatabase())));
            }
            command.addAll(java.util.List.of("XADD", key, "*", "id", "x", "data", "{\"symbol\":\"BTC-USD\",\"price\":800.5}"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\d.]+) requests per second").matcher(out);
            OptionalDouble rate = OptionalDouble.empty();
            while (m.find()) {
                rate = OptionalDouble.of(Double.parseDouble(m.group(1)));
            }
            redis.template().delete(key).block();
            if (rate.isEmpty()) {
                String said = out.strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
                System.out.println(Secrets.redact(skipped + "redis-benchmark exited " + p.exitValue() + ": " + said + ")"));
            }
            return rate;
        } catch (java.io.IOException e) {
            System.out.println(skipped + "redis-benchmark is not installed: it comes with redis-server, e.g. apt-get install redis-tools)");
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    private double rawXadd(ReactiveStringRedisTemplate t, String key) {
        Map<String, String> fields = Map.of("id", "x", "data", "{\"symbol\":\"BTC-USD\",\"price\":800.5}");
        long start = System.nanoTime();
        Flux.range(0, records).flatMap(i -> t.opsForStream().add(MapRecord.create(key, fields)), 256).blockLast();
        double rate = records / ((System.nanoTime() - start) / 1e9);
        t.delete(key).block();
        return rate;
    }

    private void publish(ReactiveStringRedisTemplate t, String ns) {
        publish(t, ns, records);
    }

    private void publish(ReactiveStringRedisTemplate t, String ns, int records) {
        EventPublisher publisher = new EventPublisher(t, new StreamKeys(ns), StreamCatalog.defaults(), "bench");
        database.unlessLost(publisher.sendAll(Flux.range(0, records).map(i -> {
            String symbol = "S" + (i % keys);
            return new EventPublisher.Event("ticks", symbol, new PriceTick(symbol, 100 + (i % 100), 1 + (i % 7), 1_700_000_000_000L + i),
                    1_700_000_000_000L + i);
        }), batchSize)).block();
    }

    private double readAckLoop(ReactiveStringRedisTemplate t, String key) {
        new StreamAdmin(t).ensureGroup(key, "base").block();
        Consumer consumer = Consumer.from("base", "c");
        StreamReadOptions options = StreamReadOptions.empty().count(batchSize);
        long start = System.nanoTime();
        long done = 0;
        Mono<Long> pendingAck = Mono.just(0L);
        while (done < records) {
            List<MapRecord<String, Object, Object>> batch = t.opsForStream()
                    .read(consumer, options, StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
            if (batch == null || batch.isEmpty()) {
                break;
            }
            pendingAck.block();
            // pipelined: the XACK of this batch goes out with the next XREADGROUP
            pendingAck = t.opsForStream().acknowledge(key, "base", batch.stream().map(MapRecord::getId).toArray(RecordId[]::new)).cache();
            pendingAck.subscribe();
            done += batch.size();
        }
        pendingAck.block();
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private double runTopology(ReactiveStringRedisTemplate t, String ns, Topology topology) {
        return runTopology(t, ns, topology, records, true);
    }

    private double runTopology(ReactiveStringRedisTemplate t, String ns, Topology topology, int records, boolean print) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(batchSize);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long compileStart = JitWarmup.compileMillis();
        try (StreamsRuntime runtime = new StreamsRuntime(topology, config, t)
                .withCommitOptions(CommitDurabilitySettings.fromEnvironment(System.getenv()))
                .withFailureDescription(database)) {
            runtime.start();
            if (!database.awaitDrained(runtime, Duration.ofMinutes(10))) {
                throw new IllegalStateException("benchmark topology did not drain within 10 minutes");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double rate = runtime.counters().recordsIn() / elapsed;
            if (print) {
                long compileEnd = JitWarmup.compileMillis();
                String jit = compileStart < 0 || compileEnd < 0 ? ""
                        : String.format(Locale.ROOT, "; JIT compilers %.1f s", (compileEnd - compileStart) / 1e3);
                System.out.printf("  (%.1f s: %.1f s processing batches, %.1f s waiting for commits, %d commits; JVM %.1f µs CPU per record%s)%n",
                        elapsed, runtime.counters().processNanos() / 1e9, runtime.counters().commitNanos() / 1e9,
                        runtime.counters().commits(), (processCpuNanos() - cpuStart) / 1e3 / records, jit);
            }
            var c = runtime.counters();
            // every record processed AND written: a dead-lettered (or dropped) record is in recordsIn too, and a run
            // that lost one printed a rate (found in review, 2026-12-07: 199 outputs for 200 records passed)
            if (c.recordsIn() != records || c.recordsOut() != records || c.deadLettered() != 0 || c.dropped() != 0) {
                throw new CliException(CliException.FAILED, String.format("the benchmark lost records: %,d of %,d processed, "
                                + "%,d written, %,d dead-lettered, %,d dropped, %,d commits not replicated", c.recordsIn(), records,
                        c.recordsOut(), c.deadLettered(), c.dropped(), c.notReplicated()),
                        c.notReplicated() > 0 ? "QUANTUM_TRADER_COMMIT_WAIT_REPLICAS asks for replicas this Redis does not "
                                + "have (INFO replication): unset it, or run against a Redis with replicas"
                                : "see the dead-letter streams and the log above", null);
            }
            return rate;
        }
    }

    /**
     * @return {@code redis_version <v>, mem_allocator <a>} from {@code INFO server}, or empty when Redis does not tell
     *         (a managed service hiding it)
     */
    static String serverBuild(ReactiveStringRedisTemplate t) {
        try {
            java.util.Properties info = t.execute(c -> c.serverCommands().info("server")).blockFirst(Duration.ofSeconds(5));
            String version = info == null ? null : info.getProperty("redis_version");
            return version == null ? "" : "redis_version " + version + ", mem_allocator " + info.getProperty("mem_allocator", "?");
        } catch (RuntimeException e) {
            return "";
        }
    }

    static Topology statelessTopology() {
        TopologyBuilder b = new TopologyBuilder("bench-stateless");
        b.stream("ticks", PriceTick.class)
                .filter((k, tick) -> tick.size() > 0, Named.as("positive-size"))
                .mapValues(PriceTick::notional, Named.as("notional"))
                .to("notional");
        return b.build();
    }

    static Topology statefulTopology() {
        TopologyBuilder b = new TopologyBuilder("bench-stateful");
        b.addStateStore(StoreSpec.keyValueStore("volume", Double.class));
        b.stream("ticks", PriceTick.class)
                .process(VolumeProcessor::new, Named.as("running-volume"), "volume")
                .to("volume");
        return b.build();
    }

    /** Running traded volume per key: one store read and one store write per record. */
    static final class VolumeProcessor implements Processor<String, PriceTick, String, Double> {
        private ProcessorContext<String, Double> context;
        private KeyValueStore<String, Double> store;

        @Override
        public void init(ProcessorContext<String, Double> context) {
            this.context = context;
            this.store = context.getStateStore("volume");
        }

        @Override
        public void process(Record<String, PriceTick> record) {
            Double v = store.get(record.key());
            double next = (v == null ? 0 : v) + record.value().size();
            store.put(record.key(), next);
            context.forward(record.withValue(next));
        }
    }
}
