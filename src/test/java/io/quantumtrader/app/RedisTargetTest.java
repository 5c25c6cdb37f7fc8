package io.quantumtrader.app;

import io.lettuce.core.SslVerifyMode;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code REDIS_URL} and the settings beside it: a server or a cluster, TLS, credentials; malformed values say why. */
class RedisTargetTest {

    /** The TLS settings' record toString printed the passwords (review 2026-12-06). */
    @Test
    void tlsSettingsPrintNoPassword() {
        RedisTls tls = new RedisTls(true, null, new File("ts.p12"), "Ts-S3cret", new File("c.crt"), new File("c.key"), "Key-S3cret",
                new File("ks.p12"), "Ks-S3cret", SslVerifyMode.FULL);
        assertThat(tls.toString()).doesNotContain("S3cret").contains("truststorePassword=***").contains("keyPassword=***")
                .contains("keystorePassword=***").contains("ts.p12").contains("verify=FULL");
        assertThat(RedisTls.NONE.toString()).contains("truststorePassword=null");
    }

    @Test
    void oneHostIsAServerSeveralAreAClusterRedissIsTls() {
        RedisTarget server = RedisUrl.target("redis://app:p%40ss@redis-host:6380/2");
        assertThat(server.cluster()).isFalse();
        assertThat(server.nodes()).containsExactly(new RedisTarget.HostPort("redis-host", 6380));
        assertThat(server.username()).isEqualTo("app");
        assertThat(server.password()).isEqualTo("p@ss");
        assertThat(server.database()).isEqualTo(2);
        assertThat(server.tls().enabled()).isFalse();

        RedisTarget cluster = RedisUrl.target("rediss://:pw-1234@a:7000,b:7001,[::1]:7002");
        assertThat(cluster.cluster()).isTrue();
        assertThat(cluster.nodes()).containsExactly(new RedisTarget.HostPort("a", 7000), new RedisTarget.HostPort("b", 7001),
                new RedisTarget.HostPort("::1", 7002));
        assertThat(cluster.username()).isNull();
        assertThat(cluster.tls().enabled()).isTrue();
        assertThat(cluster.tls().verify()).isEqualTo(SslVerifyMode.FULL);

        assertThat(RedisUrl.target("redis://config-endpoint:6379?cluster=true").cluster()).isTrue();
        assertThat(RedisUrl.target("redis://h").nodes()).containsExactly(new RedisTarget.HostPort("h", 6379));
    }

    @Test
    void clusterNodesMayComeFromTheirOwnSettingWithCredentialsAndTlsFromTheUrl() throws Exception {
        // a real CA certificate: the CA file is read at start (an empty one is refused, RedisTls.checkFiles)
        File ca = io.quantumtrader.streams.cluster.TestCertificates.create(Files.createTempDirectory("qt-target-ca"), "target-ca").ca();
        Map<String, String> env = new HashMap<>(Map.of("REDIS_CLUSTER_NODES", "n1:6379, n2:6379", "REDIS_URL", "rediss://bob:pw-5678@ignored:1",
                "REDIS_TLS_CA_FILE", ca.getPath(), "REDIS_TLS_VERIFY", "ca"));
        RedisTarget t = RedisTarget.fromEnvironment(env);
        assertThat(t.cluster()).isTrue();
        assertThat(t.nodes()).extracting(RedisTarget.HostPort::host).containsExactly("n1", "n2");
        assertThat(t.username()).isEqualTo("bob");
        assertThat(t.tls().caFile()).isEqualTo(ca);
        assertThat(t.tls().verify()).isEqualTo(SslVerifyMode.CA);
        assertThat(t.toString()).doesNotContain("pw-5678");

        assertThat(RedisTarget.fromEnvironment(Map.of("SPRING_DATA_REDIS_CLUSTER_NODES", "x:1")).nodes())
                .containsExactly(new RedisTarget.HostPort("x", 1));
        assertThat(RedisTarget.fromEnvironment(Map.of())).isNull();
        assertThat(RedisTarget.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "x:1", "REDIS_TLS", "true")).tls().enabled()).isTrue();
    }

    /**
     * A TLS setting given with TLS off is refused, naming it and both ways out. Found in review (2026-12-07):
     * {@code REDIS_TLS_CA_FILE} with a {@code redis://} URL connected in plain text without a word, and the operator
     * believed the connection encrypted.
     */
    @Test
    void aTlsSettingWithAPlainUrlIsRefused() {
        for (String setting : RedisTls.SETTINGS) {
            assertThatThrownBy(() -> RedisTarget.fromEnvironment(java.util.Map.of("REDIS_URL", "redis://h:6379",
                    setting, "/etc/redis-tls/ca.crt")))
                    .as(setting)
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(CliException.INPUT);
                        assertThat(e.hint()).contains("rediss://").contains("unset " + setting);
                    })
                    .hasMessage(setting + " is set but the connection to Redis is not TLS (REDIS_URL is redis://, "
                            + "REDIS_TLS is not true)");
        }
        assertThat(RedisTarget.fromEnvironment(java.util.Map.of("REDIS_URL", "redis://h:6379", "REDIS_TLS_VERIFY", " ")).tls())
                .as("a blank setting is no setting").isEqualTo(RedisTls.NONE);
    }

    @Test
    void malformedSettingsSayWhatIsWrongWithoutThePassword() {
        for (List<String> urlAndReason : List.of(
                List.of("http://:pw-0001@h:1", "scheme 'http' is not redis or rediss"),
                List.of("redis://:pw-0002@h:99999", "port '99999' is not a number from 1 to 65535"),
                List.of("redis://:pw-0003@a:1,b:2/3", "a Redis Cluster has only database 0"),
                List.of("redis://:pw-0004@h:1?tls=yes", "unknown parameter 'tls'"),
                List.of("redis://:pw 0005@h:1", "a space in the user or password"))) {
            assertThatThrownBy(() -> RedisUrl.target(urlAndReason.get(0)))
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.INPUT))
                    .hasMessageContaining(urlAndReason.get(1)).hasMessageContaining("***")
                    .hasMessageNotContaining(urlAndReason.get(0).substring(10, 17));
        }
        // no scheme to find the user-info after (found in review, 2026-12-05: quoted with the password in clear)
        for (String noScheme : List.of("redis//:S3cretPw-1@127.0.0.1:6411", "redis:/admin:S3cretPw-2@10.0.0.5:6379",
                "admin:S3cretPw-3@10.0.0.5:6379", "S3cretPw-4@h:1")) {
            assertThatThrownBy(() -> RedisUrl.target(noScheme))
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.INPUT))
                    .hasMessageContaining("no scheme").hasMessageContaining("***@")
                    .hasMessageNotContaining("S3cretPw");
        }
        // no '@' at all, a password all the same: quoted as a port or host, redacted when printed (found in review)
        for (String noAt : List.of("redis://:PassW0rdX5", "redis://admin:PassW0rdX7/h:6499", "redis://:PassW0rdX6:6499")) {
            assertThatThrownBy(() -> RedisUrl.target(noAt))
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(CliException.INPUT);
                        assertThat(Secrets.redact(e.getMessage() + " " + e.hint())).doesNotContain("PassW0rd");
                    });
        }
        // a user-info in the cluster nodes (REDIS_URL's authority shape) was quoted in clear (review 2026-12-06)
        for (String nodes : List.of("default:S3cretCn-1@127.0.0.1:7000,127.0.0.1:7001", ":S3cretCn-2@127.0.0.1:7000",
                "127.0.0.1:7000,bob:S3cret,Cn-3@127.0.0.1:7001", "S3cretCn-4@h:1", "u:S3cret@Cn-5@h:1")) {
            for (String setting : List.of(RedisTarget.CLUSTER_NODES, RedisTarget.SPRING_CLUSTER_NODES)) {
                assertThatThrownBy(() -> RedisTarget.fromEnvironment(Map.of(setting, nodes)))
                        .isInstanceOfSatisfying(CliException.class, e -> {
                            assertThat(e.exitCode()).isEqualTo(CliException.INPUT);
                            assertThat(e.getMessage()).startsWith(setting + " is malformed (a user or password before '@'")
                                    .contains("REDIS_PASSWORD").contains("***@");
                            assertThat(e.getMessage() + " " + e.hint()).as("unredacted").doesNotContain("S3cret").doesNotContain("Cn-");
                        });
            }
            assertThat(Secrets.redact("logged: " + nodes)).as("registered").doesNotContain("S3cret");
        }
        assertThat(RedisUrl.target("redis://::1:6380").nodes()).as("unbracketed IPv6 still")
                .containsExactly(new RedisTarget.HostPort("::1", 6380));
        assertThatThrownBy(() -> RedisTarget.fromEnvironment(Map.of("REDIS_URL", "rediss://h:1", "REDIS_TLS_CA_FILE", "/no/such/ca.crt")))
                .hasMessage("REDIS_TLS_CA_FILE=/no/such/ca.crt: file not found");
        assertThatThrownBy(() -> RedisTarget.fromEnvironment(Map.of("REDIS_URL", "rediss://h:1", "REDIS_TLS_VERIFY", "maybe")))
                .hasMessageContaining("REDIS_TLS_VERIFY='maybe' is not full, ca or none");
        assertThatThrownBy(() -> RedisTarget.fromEnvironment(Map.of("REDIS_CLUSTER_NODES", "a:1,:2")))
                .hasMessageContaining("REDIS_CLUSTER_NODES is malformed");
        assertThatThrownBy(() -> CommitDurabilitySettings.fromEnvironment(Map.of("QUANTUM_TRADER_COMMIT_WAIT_REPLICAS", "one")))
                .isInstanceOf(CliException.class).hasMessageContaining("QUANTUM_TRADER_COMMIT_WAIT_REPLICAS=one");
    }

    /**
     * A password with '?', '/' or '#' as it is in the URL (a secret put in by a template) is the password, and no piece
     * of it is quoted in an error (found in review, 2026-12-05: the query was split off first, so "redis://:ab?cd@h" was
     * reported as "no host … in ':ab'"); REDIS_PASSWORD gives the password as it is and wins over the URL's.
     */
    @Test
    void aPasswordWithQueryOrPathCharactersIsThePasswordAndNeverQuoted() {
        RedisTarget t = RedisUrl.target("redis://:ab?c/d#e@h:6380?cluster=true");
        assertThat(t.password()).isEqualTo("ab?c/d#e");
        assertThat(t.nodes()).containsExactly(new RedisTarget.HostPort("h", 6380));
        assertThat(t.cluster()).isTrue();
        assertThat(RedisUrl.target("redis://alice:s3cr?x@h").username()).isEqualTo("alice");
        assertThatThrownBy(() -> RedisUrl.target("redis://alice:s3cr?x@h:port"))
                .hasMessageContaining("port 'port' is not a number").hasMessageNotContaining("s3cr");
        assertThatThrownBy(() -> RedisUrl.target("redis://:zz?yy@h:1?tls=yes"))
                .hasMessageContaining("unknown parameter 'tls'").hasMessageNotContaining("zz").hasMessageNotContaining("yy");

        RedisTarget fromEnv = RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://h:1", "REDIS_PASSWORD", "p%41ss?@/"));
        assertThat(fromEnv.password()).as("as it is: not percent-decoded").isEqualTo("p%41ss?@/");
        assertThat(fromEnv.toString()).doesNotContain("p%41ss");
        assertThat(RedisTarget.fromEnvironment(Map.of("REDIS_URL", "redis://:old@h:1", "REDIS_PASSWORD", "new")).password())
                .isEqualTo("new");
        assertThat(io.quantumtrader.app.Secrets.redact("login with p%41ss?@/ failed")).doesNotContain("p%41ss?@/");
    }
}
