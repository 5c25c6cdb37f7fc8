package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): bench's throughput topologies take the commit durability of the environment
 * (QUANTUM_TRADER_COMMIT_WAIT_REPLICAS, CommitDurabilitySettings, "for the CLI commands that run the engine (replay,
 * bench)"), but bench --latency and bench --soak build their runtimes without it: their figures are always those of
 * commits without WAIT, whatever the environment asks for. Seen as Redis' WAIT count after each run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BenchCommitDurabilityTest {

    @TempDir
    Path dir;

    private static final Map<String, String> WAIT = Map.of("QUANTUM_TRADER_COMMIT_WAIT_REPLICAS", "1",
            "QUANTUM_TRADER_COMMIT_WAIT_TIMEOUT", "20ms");

    @Test
    void latencyCommitsWithTheEnvironmentsWait() throws Exception {
        assertWaitUsed("latency", "bench", "--latency", "--rates", "50", "--seconds", "1", "--latency-warmup", "1");
    }

    /** Control (passes): the throughput topologies do send WAIT with this environment. */
    @Test
    void throughputCommitsWithTheEnvironmentsWait() throws Exception {
        assertWaitUsed("throughput", "bench", "--records", "200", "--warmup", "0", "--batch-size", "50");
    }

    @Test
    void soakCommitsWithTheEnvironmentsWait() throws Exception {
        assertWaitUsed("soak", "bench", "--soak", "--rounds", "1", "--records", "200", "--batch-size", "50");
    }

    private void assertWaitUsed(String name, String... args) throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            Map<String, String> env = new java.util.HashMap<>(WAIT);
            env.put("REDIS_URL", redis.url());
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, name), env, Duration.ofMinutes(2), args);
            assertThat(waitCalls(redis.url())).as("WAIT calls in Redis after: " + run).isPositive();
        } finally {
            redis.stop();
        }
    }

    private static long waitCalls(String url) {
        try (RedisConnection db = RedisConnection.of(url)) {
            Properties stats = db.template().execute(c -> c.serverCommands().info("commandstats")).blockFirst(Duration.ofSeconds(10));
            String wait = stats.getProperty("cmdstat_wait");
            return wait == null ? 0 : Long.parseLong(wait.replaceAll("^calls=(\\d+),.*$", "$1"));
        }
    }
}
