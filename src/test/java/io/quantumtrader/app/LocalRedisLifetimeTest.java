package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Redis the CLI started for its run ends with the JVM that started it, however that JVM ends. Before 2026-12-07 a
 * {@code replay} killed with SIGKILL (no shutdown hook runs) left its {@code redis-server} running for good, holding
 * its port and memory; {@link LocalRedisProcess} now starts a watchdog next to it (where {@code /bin/sh} exists).
 */
class LocalRedisLifetimeTest {

    private static final Pattern REDIS_LINE = Pattern.compile("redis: .* on 127\\.0\\.0\\.1:(\\d+), namespace");

    @TempDir
    Path dir;

    @Test
    void aReplayKilledWithSigkillTakesTheRedisItStartedWithIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "the watchdog needs /bin/sh");
        Path work = ReplayFixture.workDir(dir, "killed");
        Path out = work.resolve("out.txt");
        // paced: publishing 2,000 ticks at 100× takes far longer than the test waits
        Process replay = CliProcess.start(work, Map.of(), List.of("replay", "--file",
                ReplayFixture.trades(dir, 2_000).toString(), "--speed", "100"), out, work.resolve("err.txt"));
        List<ProcessHandle> started = List.of();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> REDIS_LINE.matcher(Files.readString(out)).find() || !replay.isAlive());
            assertThat(replay.isAlive()).as("the replay runs: " + Files.readString(out) + Files.readString(work.resolve("err.txt")))
                    .isTrue();
            Matcher m = REDIS_LINE.matcher(Files.readString(out));
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            started = replay.toHandle().descendants().toList();
            // the executable: redis-server-7.0.15-linux-amd64 (embedded), or redis-check-rdb (Debian's, redis-server links to it)
            List<ProcessHandle> redis = started.stream()
                    .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("redis-")).orElse(false))
                    .toList();
            assertThat(redis).as("the Redis the replay started, among " + started.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList() + "\n" + Files.readString(out)).hasSize(1);
            assertThat(accepts(port)).as("its Redis listens on " + port).isTrue();

            replay.destroyForcibly();   // SIGKILL: no shutdown hook runs
            assertThat(replay.waitFor(10, TimeUnit.SECONDS)).isTrue();

            List<ProcessHandle> all = started;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> all.stream().noneMatch(LocalRedisLifetimeTest::running) && !accepts(port));
        } finally {
            replay.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void closeStopsTheServerAndItsWatchdog() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "the watchdog needs /bin/sh");
        int port = RedisConnection.freePort();
        LocalRedisProcess redis = LocalRedisProcess.start(RedisConnection.embeddedBinary(), port);
        ProcessHandle server = redis.server();
        ProcessHandle watchdog = redis.watchdog().orElseThrow();
        try {
            assertThat(watchdog.isAlive()).isTrue();
            assertThat(accepts(port)).isTrue();
            redis.close();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !running(server) && !running(watchdog) && !accepts(port));
        } finally {
            redis.close();
            watchdog.destroyForcibly();
        }
    }

    /** @return whether the process runs: alive and not a zombie its new parent has yet to reap */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;   // gone between the two checks
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
