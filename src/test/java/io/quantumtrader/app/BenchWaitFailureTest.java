package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.ScanOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): bench with QUANTUM_TRADER_COMMIT_WAIT_REPLICAS=1 on a Redis without a replica. Every commit runs in Redis
 * (outputs written, inputs acknowledged) and then fails its WAIT; awaitDrained sees the source drained and returns
 * true, and bench ends with "error: unexpected error: IllegalStateException: processed 0 of N" (exit 1) after a
 * screen of WARN lines: neither "unexpected" nor "0 processed" is what happened (all N outputs are in Redis), and the
 * cause (no replica for WAIT) is not in the error.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchWaitFailureTest {

    @TempDir
    Path dir;

    @Test
    void aWaitNoReplicaCanMeetFailsClearly() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "wait"), Map.of("REDIS_URL", redis.url(),
                            "QUANTUM_TRADER_COMMIT_WAIT_REPLICAS", "1", "QUANTUM_TRADER_COMMIT_WAIT_TIMEOUT", "50ms"),
                    Duration.ofMinutes(2), "bench", "--records", "1000", "--warmup", "0", "--batch-size", "250", "--keep-keys");
            long outputs;
            try (RedisConnection db = RedisConnection.of(redis.url())) {
                List<String> keys = db.template().scan(ScanOptions.scanOptions().match("*-stateless:*notional*").build())
                        .collectList().block();
                outputs = keys.isEmpty() ? -1 : db.template().opsForStream().size(keys.get(0)).block();
            }
            List<String> errors = run.stderr().lines().filter(l -> l.startsWith("error:")).toList();
            assertThat(run.exitCode()).isNotZero();
            assertThat(errors).as("error lines (stateless outputs in Redis: " + outputs + " of 1000)")
                    .noneMatch(l -> l.contains("unexpected error"))
                    .anyMatch(l -> l.contains("WAIT") || l.contains("replica"));
        } finally {
            redis.stop();
        }
    }
}
