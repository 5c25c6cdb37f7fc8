package io.quantumtrader.app;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import io.quantumtrader.trader.events.PriceTick;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Per-hop latency of one stateless stage ({@code mapValues → to}) at a fixed offered load: from the input's due time
 * (just before its XADD is sent when the sender keeps up; {@link LatencyRecorder#offer}) to the moment its output entry is seen in Redis by a probe blocked in {@code XREAD BLOCK} on its own
 * connection (the probe's wake-up, about 0.1 ms on loopback, is included). Percentiles from an HdrHistogram
 * (µs, 3 significant digits). The first {@code warmUpSeconds} of each run are offered at the same rate but not
 * counted: the JIT compilers work on the path of batches of one or two records for about 20–30 s at 1,000/s, and a
 * cold run's p99 is theirs (docs/BENCHMARKS.md, 2026-12-03 07:23 UTC); a warm-up at another rate does not warm that
 * path.
 */
final class LatencyBenchmark {

    private static final JsonSerde<PriceTick> TICKS = new JsonSerde<>(PriceTick.class);

    private LatencyBenchmark() {
    }

    /**
     * @param ns      the namespace the run's streams and state go into (deleted by the caller)
     * @param rate    offered load, records/s
     * @param warmUpSeconds how long records are offered first at the same rate, not counted (at least 1)
     * @param seconds how long records are offered and counted
     * @param idleMax the runtime's longest wait between reads of an idle partition ({@link StreamsConfig#withIdle})
     * @param notifier whether the runtime wakes idle readers ({@link StreamsRuntime#withInputNotifier})
     */
    static Histogram run(RedisConnection redis, String ns, int rate, int warmUpSeconds, int seconds, int batchSize, Duration idleMax, boolean notifier,
                         PrintStream out) {
        StreamKeys keys = new StreamKeys(ns);
        int unmeasuredSeconds = Math.max(1, warmUpSeconds);
        LatencyRecorder recorder = new LatencyRecorder(rate, unmeasuredSeconds, seconds);
        EventPublisher publisher = new EventPublisher(redis.template(), keys, StreamCatalog.defaults(), "latency");
        StreamsConfig defaults = StreamsConfig.defaults();
        StreamsConfig config = defaults.withNamespace(ns).withBatchSize(batchSize)
                .withIdle(idleMax.compareTo(defaults.idleMin()) < 0 ? idleMax : defaults.idleMin(), idleMax);
        // the probe reads the outputs on a connection of its own (XREAD BLOCK), made like the engine's own: with
        // REDIS_URL's database, credentials and TLS (until 2026-12-07 host and port only: it watched database 0 and saw
        // no output, or was refused a password REDIS_URL gave; found in review)
        if (!(redis.template().getConnectionFactory() instanceof org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory factory)
                || !(factory.getNativeClient() instanceof RedisClient client)) {
            throw new CliException(CliException.INPUT, "bench --latency needs a single Redis server (REDIS_URL names a cluster)",
                    "run it against one server: redis://host:port", null);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(echoTopology(), config, redis.template())
                .withInputNotifier(notifier)
                // the commit durability the throughput run uses (until 2026-12-07 these figures were always without WAIT,
                // those of the same command with it: found in review)
                .withCommitOptions(CommitDurabilitySettings.fromEnvironment(System.getenv()));
             StatefulRedisConnection<String, String> probeConnection = client.connect(io.lettuce.core.codec.StringCodec.UTF8,
                     io.quantumtrader.streams.redis.CommitConnection.uri(factory))) {
            runtime.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (runtime.tasks().stream().anyMatch(t -> t.state() != TaskState.RUNNING) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            Thread probe = new Thread(() -> {
                String output = keys.stream("echo", 0);
                String last = "0-0";
                while (!recorder.allSeen() && !Thread.currentThread().isInterrupted()) {
                    List<StreamMessage<String, String>> batch;
                    try {
                        batch = probeConnection.sync().xread(
                                XReadArgs.Builder.block(Duration.ofMillis(200)).count(1000), XReadArgs.StreamOffset.from(output, last));
                    } catch (io.lettuce.core.RedisCommandInterruptedException e) {
                        return;   // stopped at the end of the run (a stack trace on stderr until 2026-12-07)
                    }
                    long now = System.nanoTime();
                    for (StreamMessage<String, String> m : batch) {
                        last = m.getId();
                        recorder.seen((int) TICKS.deserialize(Envelope.fromFields(m.getBody()).data()).timestamp() - 1, now);
                    }
                }
            }, "latency-probe");
            probe.setDaemon(true);
            probe.start();
            recorder.offer(i -> {
                String symbol = "S" + (i % 100);
                publisher.send("ticks", symbol, new PriceTick(symbol, 100, 1, i + 1L), System.currentTimeMillis()).subscribe();
            });
            recorder.awaitAllSeen(Duration.ofSeconds(30));
            probe.interrupt();
            if (!recorder.allSeen()) {
                // figures of the outputs seen alone would pass for the run's (0 µs when none was seen: review 2026-12-07)
                throw new CliException(CliException.FAILED, "bench --latency: " + recorder.seenOfSent()
                        + " within 30 s of the last record offered: no latency figures", "check REDIS_URL and the log", null);
            }
            out.printf("latency at %,6d/s offered for %d s after %d s of warm-up, idle max %d ms, notifier %s: %s%n",
                    rate, seconds, unmeasuredSeconds, idleMax.toMillis(), notifier ? "on" : "off", recorder.summary());
            var n = runtime.inputNotifier();
            out.printf("  %,d commits%s%n", runtime.counters().commits(), n == null ? ""
                    : String.format("; input notifier: %,d XREAD BLOCK calls, %,d readers woken, %,d failures", n.calls(), n.wakeups(), n.failures()));
        }
        return recorder.histogram();
    }

    static Topology echoTopology() {
        TopologyBuilder b = new TopologyBuilder("bench-latency");
        b.stream("ticks", PriceTick.class)
                .mapValues(t -> t, Named.as("echo"))
                .to("echo");
        return b.build();
    }
}
