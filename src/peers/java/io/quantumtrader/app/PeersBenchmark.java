package io.quantumtrader.app;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.trader.events.PriceTick;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.stream.StreamReceiver;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * This engine, Spring Data Redis' {@code StreamReceiver} and Kafka Streams 4.3.1, side by side in one run over the
 * same records (docs/BENCHMARKS.md "Peers", issue 12):
 * <ul>
 *   <li>stateless {@code filter → mapValues → to} and stateful {@code process()} + key-value store {@code → to};</li>
 *   <li>the engine on a Redis started for the run (the {@code redis-server} on PATH when there is one);</li>
 *   <li>{@code StreamReceiver}: the per-record way a Spring user writes the stateful stage (consumer group, HINCRBYFLOAT
 *       on the state hash, XADD the output, XACK), with {@code concatMap} and {@code flatMap(64)}, and a loss check:
 *       every published record must be acknowledged;</li>
 *   <li>Kafka Streams on a single-node KRaft broker in a child JVM, stateless at_least_once, stateful (RocksDB with
 *       changelog) at_least_once and exactly_once_v2.</li>
 * </ul>
 * Each figure is records / wall-clock seconds from starting the consumer until the last output is visible (for Kafka:
 * to a read_committed consumer), with the CPU the run used per record, µs: this JVM's plus the server's (Redis or the
 * broker; {@link CpuPerRecord}). Run: see docs/BENCHMARKS.md.
 */
public final class PeersBenchmark {

    private static final JsonSerde<PriceTick> TICKS = new JsonSerde<>(PriceTick.class);

    private final int records;
    private final int keys;
    private final int batchSize;
    /** Runs the same stages over fewer records first, unmeasured (null: none; the warm-up's own instance: none). */
    private final PeersBenchmark warmUp;
    /** A warm-up's runs print nothing. */
    private final boolean quiet;

    private PeersBenchmark(int records, int keys, int batchSize, int warmUpRecords) {
        this(records, keys, batchSize, warmUpRecords > 0 ? new PeersBenchmark(warmUpRecords, keys, batchSize, null, true) : null, false);
    }

    private PeersBenchmark(int records, int keys, int batchSize, PeersBenchmark warmUp, boolean quiet) {
        this.records = records;
        this.keys = keys;
        this.batchSize = batchSize;
        this.warmUp = warmUp;
        this.quiet = quiet;
    }

    /**
     * @param args {@code [records [keys [batch size [what [warm-up records]]]]]}; what: {@code all} (default),
     *             {@code receiver}, {@code kafka}, {@code engine}, {@code throughput} (engine and kafka), {@code latency} (per-hop latency of this engine and
     *             of Kafka Streams at 1,000/s and 10,000/s offered, 10 s each); warm-up records (default 50,000, as {@code bench
     *             --warmup}; 0 for none): the engine's two topologies and each Kafka Streams run go through rounds of them
     *             first, unmeasured, until the JIT compilers settle (at most 8 rounds; {@link #warmUpRounds}), so no side
     *             pays for the JIT compiler in its figure (the StreamReceiver runs are not
     *             warmed: they stop short of their records anyway)
     */
    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String what = args.length > 3 ? args[3] : "all";
        for (String noisy : List.of("org.apache.kafka", "kafka", "org.apache.zookeeper")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(noisy)).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 50_000;
        new PeersBenchmark(records, keys, batch, warmUp).run(what);
        System.exit(0);
    }

    private void run(String what) throws Exception {
        try (RedisConnection redis = RedisConnection.fromEnvironment()) {
            System.out.printf("peers on %s: %,d records, %d keys, batch %d, %d cores, Java %s, load average %s%n",
                    redis.description(), records, keys, batchSize, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), BenchCommand.loadAverage());
            ReactiveStringRedisTemplate t = redis.template();
            String rb = redisBenchmark(redis);
            if (rb != null) {
                System.out.printf("%-66s %12s entries/s%n", "raw XADD, redis-benchmark -P 64", rb);
            }
            String ns = "peers-" + System.currentTimeMillis();
            if (warmUp != null) {
                System.out.printf("(warm-up: rounds of %,d records through each measured engine topology and Kafka Streams run first, not measured, until the JIT compilers settle)%n",
                        warmUp.records);
            }
            if (what.equals("all") || what.equals("engine") || what.equals("throughput")) {
                if (warmUp != null) {
                    warmUpRounds("this engine", n -> {
                        warmUp.engine(t, ns + "-warm-" + n + "-stateless", BenchCommand.statelessTopology());
                        warmUp.engine(t, ns + "-warm-" + n + "-stateful", BenchCommand.statefulTopology());
                    });
                }
                report("this engine, stateless filter->mapValues->to", engine(t, ns + "-stateless", BenchCommand.statelessTopology()));
                System.out.println("  " + lastCpu);
                report("this engine, stateful process() + store -> to", engine(t, ns + "-stateful", BenchCommand.statefulTopology()));
                System.out.println("  " + lastCpu);
            }
            if (what.equals("all") || what.equals("receiver")) {
                receiver(t, redis, ns + "-rc", "concatMap", f -> f.concatMap(this::handle), 0);
                receiver(t, redis, ns + "-rf", "flatMap(64)", f -> f.flatMap(this::handle, 64), 0);
                receiver(t, redis, ns + "-rb", "concatMap, batchSize(" + batchSize + ")", f -> f.concatMap(this::handle), batchSize);
            }
            if (what.equals("all") || what.equals("kafka") || what.equals("throughput")) {
                kafka();
                printCpuRatios();
            }
            if (what.equals("all") || what.equals("latency")) {
                latency(redis);
            }
        }
    }

    /** Warm-up rounds end once the JIT compilers spent less than this share of a round compiling (as {@code bench}). */
    private static final double SETTLED_COMPILE_SHARE = 0.05;
    private static final int MAX_WARM_UP_ROUNDS = 8;

    /**
     * Repeats a warm-up round until this JVM's JIT compilers have settled ({@link JitWarmup}): one round of 50,000
     * records left this engine's stateless run with the compilers at work (7.0 µs of this JVM's CPU per record in that
     * run against 4.9–5.8 µs in {@code bench}, which warms up this way), and either side's figure would measure its
     * compiler. Kafka Streams runs in this JVM, so its rounds are judged by the same clock (the broker's own JVM warms
     * up over the same rounds, unmeasured).
     */
    private void warmUpRounds(String what, java.util.function.IntConsumer round) {
        List<JitWarmup.Round> done = JitWarmup.run(MAX_WARM_UP_ROUNDS, SETTLED_COMPILE_SHARE, round,
                JitWarmup::compileMillis, System::nanoTime);
        System.out.printf("  (warm-up of %s: %s)%n", what, String.join("; ", done.stream().map(JitWarmup.Round::toString).toList()));
    }

    /** The last measured run's CPU line ({@link CpuPerRecord#describeSince}). */
    private String lastCpu = "";
    /** CPU per record of each measured run, µs, by run ("engine stateless", "kafka stateful exactly_once_v2", ...). */
    private final Map<String, Double> cpuByRun = new java.util.LinkedHashMap<>();

    /**
     * Prints Kafka Streams' CPU per record divided by this engine's for the same topology (stateless: at_least_once;
     * stateful: each guarantee): on busy cores, the throughput ratio this engine can reach.
     */
    private void printCpuRatios() {
        for (String[] pair : new String[][]{{"stateless", "at_least_once"}, {"stateful", "at_least_once"}, {"stateful", "exactly_once_v2"}}) {
            Double engine = cpuByRun.get("engine " + pair[0]);
            Double kafka = cpuByRun.get("kafka " + pair[0] + " " + pair[1]);
            if (engine != null && kafka != null) {
                System.out.printf("CPU per record, Kafka Streams %s %s / this engine: %.1f / %.1f µs = %.2f%n",
                        pair[0], pair[1], kafka, engine, kafka / engine);
            }
        }
    }

    private static void report(String what, double rate) {
        System.out.printf("%-66s %,12.0f records/s (load average %s)%n", what, rate, BenchCommand.loadAverage());
    }

    private void publish(ReactiveStringRedisTemplate t, String ns) {
        EventPublisher publisher = new EventPublisher(t, new StreamKeys(ns), StreamCatalog.defaults(), "bench");
        publisher.sendAll(Flux.range(0, records).map(i -> {
            String symbol = "S" + (i % keys);
            return new EventPublisher.Event("ticks", symbol, tick(i), 1_700_000_000_000L + i);
        }), batchSize).block();
    }

    private PriceTick tick(int i) {
        String symbol = "S" + (i % keys);
        return new PriceTick(symbol, 100 + (i % 100), 1 + (i % 7), 1_700_000_000_000L + i);
    }

    // ---- this engine ----

    private double engine(ReactiveStringRedisTemplate t, String ns, Topology topology) {
        publish(t, ns);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(batchSize);
        CpuPerRecord cpu = CpuPerRecord.redis(t);
        long start = System.nanoTime();
        try (StreamsRuntime runtime = new StreamsRuntime(topology, config, t)) {
            runtime.start();
            if (!runtime.awaitDrained(Duration.ofMinutes(10)) || runtime.counters().recordsIn() != records
                    || runtime.counters().recordsOut() != records || runtime.counters().deadLettered() != 0) {
                throw new IllegalStateException("engine processed " + runtime.counters().recordsIn() + " of " + records
                        + ", wrote " + runtime.counters().recordsOut() + ", dead-lettered " + runtime.counters().deadLettered());
            }
            double rate = records / ((System.nanoTime() - start) / 1e9);
            CpuPerRecord end = CpuPerRecord.redis(t);
            lastCpu = end.describeSince(cpu, records, "Redis");
            cpuByRun.put("engine " + (topology.applicationId().contains("stateless") ? "stateless" : "stateful"), end.totalSince(cpu, records));
            return rate;
        }
    }

    // ---- Spring Data Redis StreamReceiver ----

    private String receiverInput;
    private String receiverOutput;
    private String receiverState;
    private String receiverGroup;
    private ReactiveStringRedisTemplate receiverTemplate;
    private final AtomicLong handled = new AtomicLong();
    private final Set<String> handledIds = ConcurrentHashMap.newKeySet();

    /** One record the way a Spring user writes it: state hash, output entry, acknowledgement. */
    private Mono<Long> handle(MapRecord<String, String, String> r) {
        Envelope env = Envelope.fromFields(r.getValue());
        PriceTick tick = TICKS.deserialize(env.data());
        return receiverTemplate.opsForHash().increment(receiverState, env.subject(), tick.size())
                .flatMap(volume -> receiverTemplate.opsForStream().add(receiverOutput, EnvelopeCodec.encode("volume",
                        "peer/receiver", UUID.randomUUID().toString(), env.subject(), volume, env.time().toEpochMilli(), env.traceId())))
                .then(receiverTemplate.opsForStream().acknowledge(receiverInput, receiverGroup, r.getId()))
                .doOnNext(n -> {
                    handled.incrementAndGet();
                    handledIds.add(r.getId().getValue());
                });
    }

    private void receiver(ReactiveStringRedisTemplate t, RedisConnection redis, String ns, String how,
                          Function<Flux<MapRecord<String, String, String>>, Flux<Long>> stage, int receiverBatch) {
        publish(t, ns);
        StreamKeys k = new StreamKeys(ns);
        receiverTemplate = t;
        receiverInput = k.stream("ticks", 0);
        receiverOutput = k.stream("volume", 0);
        receiverState = ns + ":receiver-volume";
        receiverGroup = "receiver";
        handled.set(0);
        handledIds.clear();
        new StreamAdmin(t).ensureGroup(receiverInput, receiverGroup).block();
        StreamReceiver.StreamReceiverOptionsBuilder<String, MapRecord<String, String, String>> options =
                StreamReceiver.StreamReceiverOptions.builder().pollTimeout(Duration.ofMillis(100));
        if (receiverBatch > 0) {
            options.batchSize(receiverBatch);
        }
        StreamReceiver<String, MapRecord<String, String, String>> receiver = StreamReceiver.create(redis.factory(), options.build());
        long start = System.nanoTime();
        Disposable run = stage.apply(receiver.receive(Consumer.from(receiverGroup, "c1"),
                StreamOffset.create(receiverInput, ReadOffset.lastConsumed()))).subscribe();
        long last = -1;
        long lastChange = System.nanoTime();
        long end = start;
        while (handledIds.size() < records && System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(5)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = handled.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
                end = lastChange;
            }
        }
        run.dispose();
        double rate = handledIds.size() / ((end - start) / 1e9);
        long pending = new StreamAdmin(t).pendingCount(receiverInput, receiverGroup).block();
        long outputs = t.opsForStream().size(receiverOutput).block();
        report("StreamReceiver " + how + ", HINCRBYFLOAT + XADD + XACK", rate);
        System.out.printf("  processed %,d of %,d; %,d left pending (delivered, never processed); %,d outputs, %,d duplicates%n",
                handledIds.size(), records, pending, outputs, handled.get() - handledIds.size());
    }

    // ---- per-hop latency, this engine and Kafka Streams ----

    private static final int[] LATENCY_RATES = {1_000, 10_000};
    private static final int LATENCY_SECONDS = 10;
    /** Each rate is offered this long first, not measured, on either side ({@code bench --latency}'s default). */
    private static final int LATENCY_WARMUP_SECONDS = 30;

    /**
     * The same pass-through stage ({@code mapValues(v -> v) → to}) at the same offered loads: this engine as
     * {@code bench --latency} measures it, then Kafka Streams (at_least_once and exactly_once_v2, each with its
     * defaults and tuned for latency: its producer's {@code linger.ms} 0 and {@code commit.interval.ms} 10) from just
     * before the producer's send to the output seen by a {@code read_committed} consumer.
     */
    private void latency(RedisConnection redis) throws Exception {
        for (int rate : LATENCY_RATES) {
            // its own namespace (a parameter since fe8d0046, which this call missed: the peers did not compile; found in
            // review, 2026-12-07, PeersSourceCompilesTest)
            LatencyBenchmark.run(redis, "peers-" + System.currentTimeMillis() + "-latency-" + rate, rate,
                    LATENCY_WARMUP_SECONDS, LATENCY_SECONDS, batchSize, Duration.ofMillis(100), true, System.out);
        }
        try (KafkaBroker broker = KafkaBroker.start()) {
            for (String guarantee : List.of("at_least_once", "exactly_once_v2")) {
                for (boolean tuned : new boolean[]{false, true}) {
                    for (int rate : LATENCY_RATES) {
                        kafkaLatency(broker, guarantee, rate, tuned);
                    }
                }
            }
        }
    }

    private void kafkaLatency(KafkaBroker broker, String guarantee, int rate, boolean tuned) throws Exception {
        String run = "latency-" + guarantee.replace('_', '-') + "-" + rate + "-" + System.currentTimeMillis();
        String in = "ticks-" + run;
        String out = "echo-" + run;
        createTopics(broker, in, out);
        StreamsBuilder b = new StreamsBuilder();
        b.stream(in, Consumed.with(Serdes.String(), Serdes.String())).mapValues(v -> v).to(out, Produced.with(Serdes.String(), Serdes.String()));
        java.nio.file.Path stateDir = Files.createTempDirectory("peers-latency");
        Properties s = streamsProperties(broker, run, guarantee, stateDir);
        if (tuned) {
            s.put(org.apache.kafka.streams.StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
            s.put(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10);
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + run);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1); // the probe's own wait must not add to the figure
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        LatencyRecorder recorder = new LatencyRecorder(rate, LATENCY_WARMUP_SECONDS, LATENCY_SECONDS); // warm-up as for the engine
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (KafkaStreams streams = new KafkaStreams(b.build(), s);
             KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            streams.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread probe = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                    consumer.subscribe(List.of(out));
                    while (!recorder.allSeen() && !stop.get()) {
                        var records = consumer.poll(Duration.ofMillis(100));
                        long now = System.nanoTime();
                        for (var r : records) {
                            recorder.seen((int) TICKS.deserialize(r.value()).timestamp() - 1, now);
                        }
                    }
                }
            }, "kafka-latency-probe");
            probe.setDaemon(true);
            probe.start();
            Thread.sleep(1_000); // the probe joins its group before the first record
            recorder.offer(i -> {
                String symbol = "S" + (i % 100);
                producer.send(new ProducerRecord<>(in, 0, System.currentTimeMillis(), symbol,
                        TICKS.serialize(new PriceTick(symbol, 100, 1, i + 1L))));
            });
            recorder.awaitAllSeen(Duration.ofSeconds(30));
            stop.set(true); // it leaves after its current poll (an interrupt makes the consumer's close log errors)
            probe.join(10_000);
        }
        deleteRecursively(stateDir);
        System.out.printf("Kafka Streams %s%s latency at %,6d/s offered for %d s after %d s of warm-up: %s%n",
                guarantee, tuned ? " (linger.ms 0, commit.interval.ms 10)" : " (defaults)", rate, LATENCY_SECONDS, LATENCY_WARMUP_SECONDS,
                recorder.summary());
    }

    /** Creates one-partition topics (replication factor 1) on the broker. */
    private static void createTopics(KafkaBroker broker, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Deletes a run's Kafka Streams state directory. */
    private static void deleteRecursively(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Kafka Streams' settings for one run: its own application id and state directory, replication factor 1. */
    private static Properties streamsProperties(KafkaBroker broker, String run, String guarantee, java.nio.file.Path stateDir) {
        Properties s = new Properties();
        s.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "peers-" + run);
        s.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        s.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        s.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        s.put(org.apache.kafka.streams.StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return s;
    }

    // ---- Kafka Streams ----

    private void kafka() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            System.out.printf("Kafka %s broker (KRaft, single node, child JVM) at %s%n",
                    org.apache.kafka.common.utils.AppInfoParser.getVersion(), broker.bootstrap());
            for (String[] run : new String[][]{{"stateless", "at_least_once"}, {"stateful", "at_least_once"}, {"stateful", "exactly_once_v2"}}) {
                if (warmUp != null) {
                    warmUpRounds("Kafka Streams " + run[0] + ", " + run[1], n -> {
                        try {
                            warmUp.kafkaRun(broker, run[0], run[1]);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                if (!kafkaRun(broker, run[0], run[1])) {
                    // the broker lost or refused part of the input (a stall of minutes, once an OutOfOrderSequenceException),
                    // or Kafka Streams stopped short (no output for 60 s: exactly_once_v2 twice on 2026-12-05, at 277,987
                    // and at 3,246 of 300,000 outputs; alone it did not): one more try on fresh topics, so a transient
                    // failure does not cost the run its figure; both runs are printed
                    System.out.printf("Kafka Streams %s, %s: trying once more on fresh topics%n", run[0], run[1]);
                    kafkaRun(broker, run[0], run[1]);
                }
            }
        }
    }

    /**
     * @return false when the input could not be produced (nothing measured), or when a measured run stopped short of
     *         the records (Kafka Streams failed, or gave no output for 60 s; its figure is printed as it stood); true
     *         otherwise (a warm-up run is never tried again)
     */
    private boolean kafkaRun(KafkaBroker broker, String kind, String guarantee) throws Exception {
        String run = kind + "-" + guarantee.replace('_', '-') + "-" + System.currentTimeMillis();
        String in = "ticks-" + run;
        String out = "out-" + run;
        createTopics(broker, in, out);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                PriceTick tick = tick(i);
                producer.send(new ProducerRecord<>(in, 0, tick.timestamp(), tick.symbol(), TICKS.serialize(tick)), (meta, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            // the broker refused some of the input (seen once under load: OutOfOrderSequenceException); no figure
            System.out.printf((quiet ? "(warm-up) " : "") + "Kafka Streams %s, %s: not measured, %,d of %,d input records were not produced: %s (broker log: %s)%n", kind,
                    guarantee, failed.get(), records, firstFailure.get(), broker.keepLog());
            return false;
        }

        StreamsBuilder b = new StreamsBuilder();
        var source = b.stream(in, Consumed.with(Serdes.String(), Serdes.String())).mapValues(TICKS::deserialize);
        if (kind.equals("stateless")) {
            source.filter((key, tick) -> tick.size() > 0)
                    .mapValues(tick -> Double.toString(tick.notional()))
                    .to(out, Produced.with(Serdes.String(), Serdes.String()));
        } else {
            b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("volume"), Serdes.String(), Serdes.Double()));
            source.process(VolumeProcessor::new, "volume")
                    .to(out, Produced.with(Serdes.String(), Serdes.String()));
        }
        java.nio.file.Path stateDir = Files.createTempDirectory("peers-streams");
        Properties s = streamsProperties(broker, run, guarantee, stateDir);

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + run);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long seen = 0;
        long end = 0;
        long start;
        long firstOutput = 0;
        CpuPerRecord cpu;
        CpuPerRecord cpuEnd;
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (KafkaConsumer<String, String> counter = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
             KafkaStreams streams = new KafkaStreams(b.build(), s)) {
            counter.subscribe(List.of(out));
            counter.poll(Duration.ofMillis(500));
            // Kafka's own logging is quieted above: a stream thread that dies must still be reported, not waited for
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.ERROR || next == KafkaStreams.State.PENDING_ERROR) {
                    failure.compareAndSet(null, new IllegalStateException("Kafka Streams went from " + previous + " to " + next));
                }
            });
            cpu = CpuPerRecord.process(broker.pid());
            start = System.nanoTime();
            streams.start();
            long lastProgress = System.nanoTime();
            while (seen < records && failure.get() == null && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(60)) {
                int n = counter.poll(Duration.ofMillis(100)).count();
                if (n > 0) {
                    lastProgress = System.nanoTime();
                    end = lastProgress; // the last output seen (closing the application is not counted)
                    if (firstOutput == 0) {
                        firstOutput = lastProgress;
                    }
                }
                seen += n;
            }
            cpuEnd = CpuPerRecord.process(broker.pid()); // before close: shutting Kafka Streams down is not counted
        }
        double seconds = (end - start) / 1e9;
        deleteRecursively(stateDir);
        if (quiet) {
            if (seen < records || failure.get() != null) {
                System.out.printf("  (warm-up of Kafka Streams %s, %s stopped short: %,d of %,d outputs%s)%n", kind, guarantee,
                        seen, records, failure.get() == null ? "" : ", " + failure.get());
            }
            return true;
        }
        report("Kafka Streams " + kind + ", " + guarantee, seen / seconds);
        System.out.printf("  %,d of %,d outputs in %.1f s (first output after %.1f s: start-up and group join)%n", seen, records,
                seconds, firstOutput == 0 ? -1 : (firstOutput - start) / 1e9);
        if (seen > 0) {
            // this JVM: Kafka Streams and the read_committed consumer counting its outputs
            System.out.println("  " + cpuEnd.describeSince(cpu, seen, "broker"));
            if (seen >= records && failure.get() == null) {
                cpuByRun.put("kafka " + kind + " " + guarantee, cpuEnd.totalSince(cpu, seen));
            }
        }
        if (failure.get() != null) {
            Throwable root = failure.get();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.out.printf("  Kafka Streams failed: %s (root cause: %s)%n", failure.get(), root);
        } else if (seen < records) {
            System.out.println("  no output for 60 s before all records were seen: the run is reported as it stood");
        }
        return seen >= records && failure.get() == null;
    }

    /** Running traded volume per key: one store read and one store write per record (RocksDB with changelog). */
    static final class VolumeProcessor implements Processor<String, PriceTick, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, Double> store;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore("volume");
        }

        @Override
        public void process(Record<String, PriceTick> record) {
            Double v = store.get(record.key());
            double next = (v == null ? 0 : v) + record.value().size();
            store.put(record.key(), next);
            context.forward(record.withValue(Double.toString(next)));
        }
    }

    /** @return redis-benchmark's XADD rate, or null when it is not installed */
    private String redisBenchmark(RedisConnection redis) {
        try {
            Process p = new ProcessBuilder("redis-benchmark", "-h", redis.host(), "-p", String.valueOf(redis.port()),
                    "-n", String.valueOf(records), "-P", "64", "-q", "XADD", "peers:rb", "*", "id", "x", "data",
                    "{\"symbol\":\"BTC-USD\",\"price\":800.5}").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\d.]+) requests per second").matcher(text);
            String rate = null;
            while (m.find()) {
                rate = String.format("%,.0f", Double.parseDouble(m.group(1)));
            }
            redis.template().delete("peers:rb").block();
            return rate;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
