package io.quantumtrader.app;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A {@code REDIS_URL} that names a plain (non-cluster) Redis as a Redis Cluster ({@code ?cluster=true}, or two seed
 * addresses) is said so. Found in review (2026-12-07): it failed with {@code cannot use Redis at …: Cannot retrieve
 * cluster partitions from [redis://***@…]} and the hint {@code check that Redis is running, and REDIS_URL}; Redis'
 * answer, {@code ERR This instance has cluster support disabled}, was in the second line of Lettuce's message and its
 * suppressed exceptions. The opposite mistake (a cluster node named as one server) is named since 2026-12-06
 * ({@code ClusterNodeAsStandaloneTest}).
 */
class ClusterUrlOnStandaloneServerTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    @TempDir
    Path dir;

    @Test
    void aStandaloneServerNamedAsAClusterIsSaidSo() throws Exception {
        String hostPort = "127.0.0.1:" + redis.port();
        SoftAssertions soft = new SoftAssertions();
        for (String url : new String[]{"redis://" + hostPort + "?cluster=true", "redis://" + hostPort + "," + hostPort}) {
            CliProcess.Run reset = CliProcess.run(dir, Map.of("REDIS_URL", url), Duration.ofSeconds(120),
                    "kill-switch-reset", "--reason", "x");
            assertNamesTheMistake(soft, url, reset);
            CliProcess.Run serve = CliProcess.run(dir, Map.of("REDIS_URL", url, "QT_NAMESPACE", "cl" + ReplayFixture.freePort()),
                    Duration.ofSeconds(120), "serve", "--server.port=" + ReplayFixture.freePort());
            assertNamesTheMistake(soft, url, serve);
        }
        soft.assertAll();
    }

    private static void assertNamesTheMistake(SoftAssertions soft, String url, CliProcess.Run run) {
        soft.assertThat(run.exitCode()).as(url + ": " + run).isEqualTo(3);
        soft.assertThat(run.errLines()).as(url + ": " + run).hasSizeBetween(1, 2);
        soft.assertThat(run.stderr()).as(url + ": the server is running and is not a cluster: " + run)
                .containsAnyOf("cluster support disabled", "cluster_enabled:0", "not a Redis Cluster", "not a cluster")
                .doesNotContain("check that Redis is running");
    }
}
