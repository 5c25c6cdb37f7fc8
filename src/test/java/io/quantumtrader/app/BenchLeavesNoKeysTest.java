package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench} deletes the keys it wrote in REDIS_URL's Redis when it ends (throughput, {@code --latency} and
 * {@code --soak}), unless {@code --keep-keys}. Found in review (2026-12-07): every run left its namespaces behind
 * (a throughput run on the defaults: millions of stream entries in the user's Redis, nothing said).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BenchLeavesNoKeysTest {

    @TempDir
    Path dir;

    @Test
    void eachModeDeletesItsKeys() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            String url = redis.url() + "/3";
            CliProcess.Run throughput = run(url, "throughput", "bench", "--records", "2000", "--warmup", "0");
            assertThat(throughput.stdout()).as(throughput.toString()).contains("deleted the benchmark's");
            assertThat(dbSize(url)).as("keys after bench").isZero();
            run(url, "latency", "bench", "--latency", "--rates", "100", "--seconds", "1", "--latency-warmup", "1");
            assertThat(dbSize(url)).as("keys after bench --latency").isZero();
            run(url, "soak", "bench", "--soak", "--rounds", "1", "--records", "1000");
            assertThat(dbSize(url)).as("keys after bench --soak").isZero();
        } finally {
            redis.stop();
        }
    }

    private CliProcess.Run run(String url, String name, String... args) throws Exception {
        CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, name), Map.of("REDIS_URL", url), Duration.ofMinutes(2), args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static long dbSize(String url) {
        try (RedisConnection db = RedisConnection.of(url)) {
            return db.template().execute(c -> c.serverCommands().dbSize()).blockFirst(Duration.ofSeconds(10));
        }
    }
}
