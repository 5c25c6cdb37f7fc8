package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Memory over a long run: one runtime with the stateful benchmark stage processes {@code rounds} rounds of
 * {@code perRound} records; after each round has drained, a full GC, then the heap in use (MemoryMXBean) and the
 * process's resident set ({@code VmRSS} of /proc/self/status) are printed. Flat figures after the first rounds mean no
 * per-record leak (the state store holds one entry per key, 1,000 keys).
 */
final class SoakBenchmark {

    private SoakBenchmark() {
    }

    /** @param ns the namespace the run's streams and state go into (deleted by the caller) */
    static void run(RedisConnection redis, String ns, int rounds, int perRound, int batchSize, int keys, PrintStream out) {
        EventPublisher publisher = new EventPublisher(redis.template(), new StreamKeys(ns), StreamCatalog.defaults(), "soak");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(batchSize);
        try (StreamsRuntime runtime = new StreamsRuntime(BenchCommand.statefulTopology(), config, redis.template())
                .withCommitOptions(CommitDurabilitySettings.fromEnvironment(System.getenv()))) {   // as the throughput run
            runtime.start();
            out.printf("%6s %12s %10s %10s %10s%n", "round", "records", "heap MiB", "RSS MiB", "records/s");
            for (int round = 1; round <= rounds; round++) {
                int base = (round - 1) * perRound;
                long start = System.nanoTime();
                publisher.sendAll(Flux.range(base, perRound).map(i -> {
                    String symbol = "S" + (i % keys);
                    return new EventPublisher.Event("ticks", symbol, new PriceTick(symbol, 100 + (i % 100), 1 + (i % 7), i + 1L),
                            System.currentTimeMillis());
                }), batchSize).block();
                if (!runtime.awaitDrained(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("soak round " + round + " did not drain within 10 minutes");
                }
                double rate = perRound / ((System.nanoTime() - start) / 1e9);
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                out.printf("%6d %,12d %10.1f %10.1f %,10.0f%n", round, runtime.counters().recordsIn(), heap / 1048576.0,
                        rssKib() / 1024.0, rate);
                // the streams of a finished round are not needed any more: keep Redis' memory for the next round
                redis.template().opsForStream().trim(new StreamKeys(ns).stream("ticks", 0), 0).block();
                redis.template().opsForStream().trim(new StreamKeys(ns).stream("volume", 0), 0).block();
            }
        }
    }

    /** @return VmRSS of this process, KiB; -1 when /proc is not there */
    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
