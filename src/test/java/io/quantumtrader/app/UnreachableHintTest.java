package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, docs against code): docs/OPERATIONS.md "Failures and exit codes" has kill-switch-reset refuse to run without
 * REDIS_URL ("`REDIS_URL is not set` (`kill-switch-reset`)", exit 2), and README: without REDIS_URL replay and bench
 * start the redis-server on PATH, else the embedded one. The hint printed for an unreachable Redis tells the operator
 * of kill-switch-reset that without REDIS_URL an embedded Redis is started.
 */
class UnreachableHintTest {

    @TempDir
    Path dir;

    @Test
    void killSwitchResetsUnreachableHintDoesNotOfferAnEmbeddedRedis() {
        CliProcess.Run run = CliProcess.run(dir, Map.of("REDIS_URL", "redis://127.0.0.1:1"), Duration.ofSeconds(120),
                "kill-switch-reset", "--reason", "review");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("is unreachable (connection refused)");
        assertThat(run.stderr()).as("kill-switch-reset starts no Redis without REDIS_URL: it refuses to run (exit 2)")
                .doesNotContain("without REDIS_URL an embedded Redis is started");
    }
}
