package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bench} writes only into the database {@code REDIS_URL} names: its redis-benchmark row ran against database 0
 * whatever the URL said, and the key it then deleted was looked for in the URL's database, so the {@code --records}
 * XADDs stayed in database 0 of a Redis the bench was not told to use (review 2026-12-06). A Redis started here; skipped
 * where redis-benchmark is not installed (the row is then left out).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void theRedisBenchmarkRowRunsInTheDatabaseOfRedisUrlAndLeavesNothingBehind() throws Exception {
        assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> !d.isBlank() && Files.isExecutable(Path.of(d, "redis-benchmark"))), "redis-benchmark on PATH");
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "bench"), Map.of("REDIS_URL", redis.url() + "/3"),
                    Duration.ofMinutes(3), "bench", "--records", "2000", "--warmup", "0");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).as(run.toString()).contains("raw XADD, redis-benchmark");
            try (RedisConnection db0 = RedisConnection.of(redis.url() + "/0")) {
                Long keys = db0.template().execute(c -> c.serverCommands().dbSize()).blockFirst(Duration.ofSeconds(10));
                assertThat(keys).as("keys in database 0").isZero();
            }
        } finally {
            redis.stop();
        }
    }
}
