package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.quantumtrader.app.LocalRedisServer;
import io.quantumtrader.app.RedisConnection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What Redis' thread spends per appended entry when 2,000 envelope-shaped entries (six fields, a tick's JSON) are
 * appended in one step, five ways, alternating, 50 batches each per round, on a Redis this benchmark starts (the
 * {@code redis-server} on {@code PATH} when there is one, as the replay): {@code append.lua} (the publisher's and,
 * through {@code append_outputs}, the commit's way), {@code MULTI}/{@code EXEC} around plain {@code XADD}s and plain
 * pipelined {@code XADD}s, each written command by command (Lettuce's default) and flushed once per batch. The
 * figure is the change of Redis' {@code used_cpu_user + used_cpu_sys} ({@code INFO cpu}) per entry, in µs; the JVM's
 * wall time per batch is printed beside it. Figures: docs/BENCHMARKS.md, 2026-12-05 01:31 section. Run (after
 * {@code mvn -q -B -o test-compile}):
 *
 * <pre>
 * mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.streams.redis.AppendScriptBenchmark
 * </pre>
 */
public final class AppendScriptBenchmark {

    private static final int BATCHES = 50;
    private static final int PER_BATCH = 2_000;
    private static final String[] NAMES = {"id", "source", "time", "subject", "data", "traceparent"};
    private static final String[] MODES = {"append.lua", "MULTI + XADD", "XADD pipelined", "MULTI + XADD, one flush",
            "XADD, one flush"};

    private AppendScriptBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisConnection server = RedisConnection.local(LocalRedisServer.choose())) {
            System.out.println("redis: " + server.description());
            RedisClient client = RedisClient.create(RedisURI.create(server.host(), server.port()));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                run(connection);
            } finally {
                client.shutdown();
            }
        }
    }

    private static void run(StatefulRedisConnection<String, String> connection) throws Exception {
        RedisCommands<String, String> sync = connection.sync();
        RedisAsyncCommands<String, String> async = connection.async();
        String sha = sync.scriptLoad("#!lua\n" + resource("append-outputs.lib.lua") + "\n" + resource("append.lua"));
        XAddArgs maxLen = XAddArgs.Builder.maxlen(100_000).approximateTrimming();
        for (int round = 1; round <= 6; round++) {
            for (int mode = 0; mode < MODES.length; mode++) {
                sync.del("bench");
                double cpuBefore = redisCpuSeconds(sync);
                long wall = 0;
                for (int b = 0; b < BATCHES; b++) {
                    List<String[]> batch = batch();
                    long start = System.nanoTime();
                    if (mode == 0) {
                        List<String> argv = new ArrayList<>(List.of("1", "1", "100000", Integer.toString(PER_BATCH), "6"));
                        argv.addAll(List.of(NAMES));
                        batch.forEach(values -> argv.addAll(List.of(values)));
                        sync.evalsha(sha, ScriptOutputType.INTEGER, new String[]{"bench"}, argv.toArray(String[]::new));
                    } else {
                        boolean multi = mode == 1 || mode == 3;
                        boolean oneFlush = mode >= 3;
                        connection.setAutoFlushCommands(!oneFlush);
                        if (multi) {
                            async.multi();
                        }
                        List<RedisFuture<String>> replies = new ArrayList<>(PER_BATCH);
                        for (String[] values : batch) {
                            Object[] fields = new Object[2 * NAMES.length];
                            for (int f = 0; f < NAMES.length; f++) {
                                fields[2 * f] = NAMES[f];
                                fields[2 * f + 1] = values[f];
                            }
                            replies.add(async.xadd("bench", maxLen, fields));
                        }
                        RedisFuture<?> exec = multi ? async.exec() : null;
                        if (oneFlush) {
                            connection.flushCommands();
                            connection.setAutoFlushCommands(true);
                        }
                        if (multi) {
                            exec.get();
                        } else {
                            for (RedisFuture<String> reply : replies) {
                                reply.get();
                            }
                        }
                    }
                    wall += System.nanoTime() - start;
                }
                double cpu = redisCpuSeconds(sync) - cpuBefore;
                if (sync.xlen("bench") != (long) BATCHES * PER_BATCH) {
                    throw new IllegalStateException(MODES[mode] + " appended " + sync.xlen("bench") + " entries");
                }
                if (round > 1) {
                    System.out.printf("round %d  %-24s Redis %5.2f µs/entry   JVM wall %6.1f ms/batch%n", round, MODES[mode],
                            cpu * 1e6 / (BATCHES * PER_BATCH), wall / 1e6 / BATCHES);
                }
            }
        }
    }

    /** 2,000 entries shaped like the replay's ticks: ids, source, time, subject, a tick's JSON, trace id. */
    private static List<String[]> batch() {
        List<String[]> batch = new ArrayList<>(PER_BATCH);
        for (int i = 0; i < PER_BATCH; i++) {
            batch.add(new String[]{UUID.randomUUID().toString(), "replay", "2013-11-25T00:00:0" + (i % 10) + ".123Z",
                    "BTC-USD", "{\"symbol\":\"BTC-USD\",\"price\":" + (700 + i * 0.01) + ",\"size\":0.0123,"
                    + "\"timestamp\":1385337600000}", UUID.randomUUID().toString()});
        }
        return batch;
    }

    private static double redisCpuSeconds(RedisCommands<String, String> sync) {
        double seconds = 0;
        for (String line : sync.info("cpu").split("\r\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
            }
        }
        return seconds;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AppendScriptBenchmark.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
