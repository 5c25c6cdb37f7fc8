package io.quantumtrader.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): REDIS_URL naming a cluster ({@code ?cluster=true} or several addresses) with a wrong password: the error is
 * preceded by Lettuce's own WARN log line (DefaultClusterTopologyRefresh "Unable to connect to [...]: WRONGPASS ...")
 * and its exception line, four lines on stderr instead of the one or two every failure gets.
 */
class ClusterAuthFailureLinesTest {

    private static final String PASSWORD = "ClusterPw-41d8";
    private static ReplayFixture.LocalRedis redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        redis = ReplayFixture.startRedis("requirepass " + PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void aWrongPasswordForAClusterUrlIsOneOrTwoLines() {
        CliProcess.Run run = CliProcess.run(dir,
                Map.of("REDIS_URL", "redis://:Wrong-pw-123@127.0.0.1:" + redis.port() + "?cluster=true"),
                Duration.ofSeconds(120), "kill-switch-reset", "--reason", "review", "--wait", "0s");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.errLines()).as("one or two lines: " + run).hasSizeBetween(1, 2);
        assertThat(run.errLines().get(0)).as(run.toString()).startsWith("error: authentication failed");
    }
}
