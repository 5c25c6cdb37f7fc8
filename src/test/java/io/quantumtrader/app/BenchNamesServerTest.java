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
 * Found in review (2026-12-07): BenchCommand's Javadoc (and docs/BENCHMARKS.md: "their redis: line names it") says the first line names the
 * Redis (binary, version, allocator). With REDIS_URL it says "bench on Redis at 127.0.0.1:port" only: a figure from
 * a user's Redis does not say which Redis version / allocator produced it (the raw XADD rate differs 3x between the
 * two 7.0.15 builds, LocalRedisServer's Javadoc).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BenchNamesServerTest {

    @TempDir
    Path dir;

    @Test
    void firstLineNamesTheVersionOfRedisUrlsServer() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "v"), Map.of("REDIS_URL", redis.url()),
                    Duration.ofMinutes(2), "bench", "--latency", "--rates", "20", "--seconds", "1", "--latency-warmup", "1");
            String first = run.stdout().lines().findFirst().orElse("");
            assertThat(first.substring(0, first.indexOf(" records"))).as(run.toString()).contains("7.0.15");   // not "Java 17.0.15"
        } finally {
            redis.stop();
        }
    }
}
