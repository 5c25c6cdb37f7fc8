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
 * {@code bench --latency}'s probe reads the outputs in REDIS_URL's database, with its password. Found in review
 * (2026-12-07): it connected with {@code RedisURI.create(host, port)}, without REDIS_URL's database, password or TLS:
 * with a database other than 0 it watched database 0, saw none of the outputs, printed "p50 0 µs p99 0 µs ... (0 of 200
 * outputs seen)" with a stack trace of the probe thread on stderr, and exited 0; with a password it failed with
 * "neither REDIS_URL nor REDIS_PASSWORD gives one" (exit 3).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchLatencyProbeTest {

    @TempDir
    Path dir;

    private static final String[] ARGS = {"bench", "--latency", "--rates", "100", "--seconds", "1", "--latency-warmup", "1"};

    @Test
    void latencyIsMeasuredInTheDatabaseOfRedisUrl() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "db"), Map.of("REDIS_URL", redis.url() + "/3"),
                    Duration.ofMinutes(2), ARGS);
            assertThat(run.stdout()).as(run.toString()).contains("(200 of 200 outputs seen)").doesNotContain("(0 of 200");
            assertThat(run.stderr()).as(run.toString()).doesNotContain("\tat ");
        } finally {
            redis.stop();
        }
    }

    @Test
    void latencyIsMeasuredOnARedisWithAPasswordInRedisUrl() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis("requirepass s3cret");
        try {
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "auth"),
                    Map.of("REDIS_URL", "redis://:s3cret@127.0.0.1:" + redis.port()), Duration.ofMinutes(2), ARGS);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).as(run.toString()).contains("(200 of 200 outputs seen)");
        } finally {
            redis.stop();
        }
    }
}
