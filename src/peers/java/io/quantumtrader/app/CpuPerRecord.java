package io.quantumtrader.app;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.Properties;

/**
 * The CPU a peers run used, split between this JVM (the engine or Kafka Streams, and the benchmark's own probe) and the
 * server it talks to (Redis: {@code INFO cpu}'s {@code used_cpu_user + used_cpu_sys}, the whole process; the Kafka
 * broker: its child JVM's CPU time from the operating system). On a machine whose cores are all busy, records/s is
 * bounded by cores ÷ CPU per record, so the ratio of two systems' CPU per record is what their throughput ratio can
 * reach when neither waits (docs/BENCHMARKS.md "Peers").
 */
final class CpuPerRecord {

    private static final Duration T = Duration.ofSeconds(10);

    private final long jvmNanos;
    private final long serverNanos;

    private CpuPerRecord(long jvmNanos, long serverNanos) {
        this.jvmNanos = jvmNanos;
        this.serverNanos = serverNanos;
    }

    /** @return this JVM's and the Redis server's CPU time so far */
    static CpuPerRecord redis(ReactiveStringRedisTemplate redis) {
        Properties cpu = redis.execute(c -> c.serverCommands().info("cpu")).next().block(T);
        double seconds = Double.parseDouble(cpu.getProperty("used_cpu_user", "0"))
                + Double.parseDouble(cpu.getProperty("used_cpu_sys", "0"));
        return new CpuPerRecord(BenchCommand.processCpuNanos(), (long) (seconds * 1e9));
    }

    /** @return this JVM's and process {@code pid}'s CPU time so far (0 for the process when the system does not tell) */
    static CpuPerRecord process(long pid) {
        long server = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        return new CpuPerRecord(BenchCommand.processCpuNanos(), server);
    }

    /** @return CPU per record since {@code before}, µs: this JVM's plus the server's */
    double totalSince(CpuPerRecord before, long records) {
        return ((jvmNanos - before.jvmNanos) + (serverNanos - before.serverNanos)) / 1e3 / records;
    }

    /**
     * @param server what the server is, e.g. {@code "Redis"}
     * @return e.g. {@code "CPU 9.8 µs per record (this JVM 5.8, Redis 4.0)"}
     */
    String describeSince(CpuPerRecord before, long records, String server) {
        return String.format("CPU %.1f µs per record (this JVM %.1f, %s %.1f)", totalSince(before, records),
                (jvmNanos - before.jvmNanos) / 1e3 / records, server, (serverNanos - before.serverNanos) / 1e3 / records);
    }
}
