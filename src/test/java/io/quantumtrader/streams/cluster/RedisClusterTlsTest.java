package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.CliException;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.app.RedisTarget;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis Cluster that speaks TLS only (clients, cluster bus and replication; certificates from a test CA): connected
 * with {@code rediss://} and {@code REDIS_TLS_CA_FILE}, the re-keying topology of {@link RedisClusterTest} runs exactly
 * once across its masters (commits and forwards over the TLS cluster commit connection); without the CA the
 * connection is refused with the one-line TLS message.
 */
class RedisClusterTlsTest {

    static TestCluster cluster;
    static RedisConnection redis;
    static TestCertificates.Pem certs;

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = Files.createTempDirectory("qt-cluster-tls");
        certs = TestCertificates.create(dir, "qt-cluster-ca");
        cluster = TestCluster.start(3, 0, certs);
        redis = RedisConnection.of(RedisTarget.fromEnvironment(Map.of("REDIS_URL", cluster.url(),
                "REDIS_TLS_CA_FILE", certs.ca().toString())));
        RedisClusterTest.cluster = cluster;
        RedisClusterTest.redis = redis;
    }

    @AfterAll
    static void stopCluster() {
        RedisClusterTest.cluster = null;
        RedisClusterTest.redis = null;
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theEngineRunsExactlyOnceOnATlsCluster() {
        assertThat(cluster.url()).startsWith("rediss://");
        assertThat(redis.isCluster()).isTrue();
        assertThat(redis.tls()).isTrue();
        String ns = RedisClusterTest.namespaceOnAllMasters();
        new EventPublisher(redis.template(), new StreamKeys(ns), RedisClusterTest.CATALOG, "test").sendAll(RedisClusterTest.ticks(), 64).block();
        try (StreamsRuntime runtime = new StreamsRuntime(RedisClusterTest.topology(), RedisClusterTest.config(ns, "tls"), redis.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        RedisClusterTest.assertExactlyOnce(ns);
    }

    @Test
    void withoutTheCaTheClusterIsRefusedWithTheTlsMessage() {
        assertThatThrownBy(() -> RedisConnection.of(RedisTarget.fromEnvironment(Map.of("REDIS_URL", cluster.url()))))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.REDIS);
                    assertThat(e.getMessage()).startsWith("the TLS certificate of Redis at 127.0.0.1:")
                            .contains("is not signed by a trusted CA").doesNotContain("\n");
                });
    }
}
