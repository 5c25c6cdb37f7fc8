package io.quantumtrader.docs;

import io.quantumtrader.streams.cluster.RedisBinary;
import io.quantumtrader.streams.cluster.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Redis cost scripts of docs/scripts (docs/BENCHMARKS.md gives their figures and commands) run against the
 * engine's Lua scripts as they are today, with small sizes, on a redis-server of their own (they run FLUSHALL): they had
 * stopped working as the scripts' arguments changed and libraries were split out (found 2026-12-05: a commit without
 * its run id, `--#include` lines left unexpanded). Skipped where {@code python3} (and, for the envelope layouts,
 * {@code redis-cli}) is not installed.
 */
class CostScriptsTest {

    private static Process redis;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void startRedis() throws IOException {
        dir = Files.createTempDirectory("qt-cost-scripts");
        port = TestCluster.freePortPair();
        redis = new ProcessBuilder(RedisBinary.path().toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        TestCluster.waitForListening("redis-server", port, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void commitAndReadCost() throws Exception {
        assertThat(run(Map.of("ROUNDS", "3", "BATCH", "50"), "docs/scripts/commit-and-read-cost.py"))
                .contains("commit of 50 outputs").contains("fenced read of 50 entries: read-group.lua");
    }

    @Test
    void deletedUnreadCost() throws Exception {
        assertThat(run(Map.of(), "docs/scripts/deleted-unread-cost.py"))
                .contains("stream never trimmed: EVALSHA").contains("stream with deletions: EVALSHA");
    }

    @Test
    void readCost() throws Exception {
        assertThat(run(Map.of("ENTRIES", "2000", "ROUNDS", "1"), "docs/scripts/read-cost.py")).contains("XREADGROUP NOACK");
    }

    @Test
    void envelopeLayoutCost() throws Exception {
        assumeThat(onPath("redis-cli")).as("redis-cli installed (the script pipes through it)").isTrue();
        assertThat(run(Map.of(), "docs/scripts/envelope-layout-cost.py", "3")).contains("compact").contains("B/entry stored");
    }

    /** @return the script's output; fails with it when the script exits non-zero */
    private static String run(Map<String, String> env, String script, String... extra) throws Exception {
        assumeThat(onPath("python3")).as("python3 installed").isTrue();
        List<String> command = new ArrayList<>(List.of("python3", script, Integer.toString(port)));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within 120 s: %s", script, out).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", script, out).isZero();
        return out;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
