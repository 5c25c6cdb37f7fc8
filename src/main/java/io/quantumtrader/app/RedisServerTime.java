package io.quantumtrader.app;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a benchmark's Redis time goes, from the server's own accounting: the CPU time of its main thread
 * ({@code INFO cpu}, {@code used_cpu_sys_main_thread + used_cpu_user_main_thread}, seconds) and the time spent in each
 * command ({@code INFO commandstats}, µs; a command run inside a script or a transaction counts in its own line and in
 * the script's or EXEC's). Unlike records/s, these barely move with the load of a shared machine: they are what the
 * single Redis thread needs per record, whoever else wants the cores.
 *
 * <p>Standalone Redis only (on a cluster {@code INFO} would answer for one node).
 */
final class RedisServerTime {

    private static final Duration T = Duration.ofSeconds(10);

    private final double userSeconds;
    private final double systemSeconds;
    private final Map<String, Long> usecByCommand;

    private RedisServerTime(double userSeconds, double systemSeconds, Map<String, Long> usecByCommand) {
        this.userSeconds = userSeconds;
        this.systemSeconds = systemSeconds;
        this.usecByCommand = usecByCommand;
    }

    /** @return the server's counters now (CONFIG RESETSTAT is not needed: differences of two snapshots are used) */
    static RedisServerTime now(ReactiveStringRedisTemplate redis) {
        Properties cpu = redis.execute(c -> c.serverCommands().info("cpu")).next().block(T);
        Properties stats = redis.execute(c -> c.serverCommands().info("commandstats")).next().block(T);
        double user = Double.parseDouble(cpu.getProperty("used_cpu_user_main_thread", "0"));
        double system = Double.parseDouble(cpu.getProperty("used_cpu_sys_main_thread", "0"));
        Map<String, Long> usec = new LinkedHashMap<>();
        stats.forEach((k, v) -> {
            String name = k.toString();
            if (name.startsWith("cmdstat_")) {
                for (String part : v.toString().split(",")) {
                    if (part.startsWith("usec=")) {
                        usec.put(name.substring("cmdstat_".length()).toUpperCase(java.util.Locale.ROOT), Long.parseLong(part.substring(5)));
                    }
                }
            }
        });
        return new RedisServerTime(user, system, usec);
    }

    /**
     * @return one line: Redis main-thread CPU per record since {@code before}, µs, split into user and system (kernel:
     *         the socket reads and writes) time, and the five commands that took most time, µs per record of wall-clock
     *         time inside them (commandstats' {@code usec}: it includes time the server waited for a core), e.g.
     *         {@code "Redis: 21.3 µs CPU per record (user 12.0, system 9.3); EVALSHA 11.9, EXEC 4.1, … µs inside commands (…)"}
     */
    String perRecordSince(RedisServerTime before, long records) {
        double user = (userSeconds - before.userSeconds) * 1e6 / records;
        double system = (systemSeconds - before.systemSeconds) * 1e6 / records;
        StringBuilder line = new StringBuilder(String.format("Redis: %.1f µs CPU per record (user %.1f, system %.1f);",
                user + system, user, system));
        usecByCommand.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.usecByCommand.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> line.append(String.format(" %s %.1f,", e.getKey(), (double) e.getValue() / records)));
        line.setLength(line.length() - 1);
        return line.append(" µs inside commands (wall clock: more when the machine is loaded; a command inside a script or a transaction counts twice)").toString();
    }
}
