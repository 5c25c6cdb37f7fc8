package io.quantumtrader.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A node of a Redis Cluster named in {@code REDIS_URL} as one server (no {@code ?cluster=true}, one host) is refused
 * at connection with what to add, exit code 3. Before (review 2026-12-06) it was accepted: PING answers, and the
 * tasks whose partitions hash to slots of other nodes failed on Redis' {@code MOVED}; with a database in the URL the
 * error was Redis' own "SELECT is not allowed in cluster mode". Against a {@code redis-server} started here with
 * {@code cluster-enabled yes} (a node of a cluster of its own, no slots: enough for INFO to say so).
 */
class ClusterNodeAsStandaloneTest {

    @TempDir
    static Path dir;
    private static ReplayFixture.LocalRedis node;
    private static int port;

    @BeforeAll
    static void startAClusterNode() throws Exception {
        node = ReplayFixture.startRedis("cluster-enabled yes", "cluster-config-file " + dir.resolve("nodes.conf"));
        port = node.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void aClusterNodeNamedAsOneServerIsRefusedWithWhatToAdd() {
        CliException e = catchThrowableOfType(CliException.class, () -> RedisConnection.of("redis://127.0.0.1:" + port).close());
        assertThat(e).as("refused").isNotNull();
        assertThat(e.exitCode()).isEqualTo(CliException.REDIS);
        assertThat(e.getMessage()).contains("127.0.0.1:" + port, "is a node of a Redis Cluster");
        assertThat(e.hint()).contains("?cluster=true").doesNotContain("without /");
    }

    @Test
    void withADatabaseTheHintSaysToDropIt() {
        CliException e = catchThrowableOfType(CliException.class, () -> RedisConnection.of("redis://127.0.0.1:" + port + "/3").close());
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).contains("is a node of a Redis Cluster").doesNotContain("SELECT");
        assertThat(e.hint()).contains("?cluster=true", "without /3");
    }
}
