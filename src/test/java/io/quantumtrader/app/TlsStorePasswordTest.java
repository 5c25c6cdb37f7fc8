package io.quantumtrader.app;

import io.quantumtrader.streams.cluster.RedisBinary;
import io.quantumtrader.streams.cluster.TestCertificates;
import io.quantumtrader.streams.cluster.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): a wrong REDIS_TLS_TRUSTSTORE_PASSWORD (or REDIS_TLS_KEYSTORE_PASSWORD) is not checked before connecting as
 * REDIS_TLS_CA_FILE and the PEM client certificate are (RedisTls.checkFiles): the failure is Netty's WARN log lines,
 * then "error: cannot use Redis at ...: failed to decrypt safe contents entry: javax.crypto.BadPaddingException ..."
 * with "check that Redis is running, and REDIS_URL" and exit code 3 (Redis unusable), naming no setting.
 */
class TlsStorePasswordTest {

    static Path dir;
    static TestCertificates.Pem certs;
    static Process server;
    static int port;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        dir = Files.createTempDirectory("qt-review-tls");
        certs = TestCertificates.create(Files.createDirectories(dir.resolve("ca")), "qt-review-ca");
        port = TestCluster.freePortPair();
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1", "dir " + dir,
                "save \"\"", "appendonly no", "tls-cert-file " + certs.serverCert(), "tls-key-file " + certs.serverKey(),
                "tls-ca-cert-file " + certs.ca(), "tls-auth-clients no", "requirepass review-pw-123", ""));
        server = new ProcessBuilder(RedisBinary.path().toString(), conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        TestCluster.waitForListening("TLS redis-server", port, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor();
        }
    }

    private static void assertNamesTheSetting(CliProcess.Run run, String setting) {
        assertThat(run.exitCode()).as("bad input, exit code 2: " + run).isEqualTo(2);
        assertThat(run.errLines()).as("one or two lines: " + run).hasSizeBetween(1, 2);
        assertThat(run.errLines().get(0)).as(run.toString()).startsWith("error: ").contains(setting);
    }

    @Test
    void aWrongTruststorePasswordNamesTheSetting() {
        Path work = dir.resolve("w1");
        CliProcess.Run run = CliProcess.run(mk(work), Map.of(
                        "REDIS_URL", "rediss://:review-pw-123@127.0.0.1:" + port,
                        "REDIS_TLS_TRUSTSTORE", dir.resolve("ca/ca.p12").toString(),
                        "REDIS_TLS_TRUSTSTORE_PASSWORD", "not-the-store-password"),
                Duration.ofSeconds(120), "kill-switch-reset", "--reason", "review", "--wait", "0s");
        assertNamesTheSetting(run, "REDIS_TLS_TRUSTSTORE");
    }

    @Test
    void aWrongKeystorePasswordNamesTheSetting() {
        Path work = dir.resolve("w2");
        CliProcess.Run run = CliProcess.run(mk(work), Map.of(
                        "REDIS_URL", "rediss://:review-pw-123@127.0.0.1:" + port,
                        "REDIS_TLS_CA_FILE", certs.ca().toString(),
                        "REDIS_TLS_KEYSTORE", dir.resolve("ca/client.p12").toString(),
                        "REDIS_TLS_KEYSTORE_PASSWORD", "not-the-store-password"),
                Duration.ofSeconds(120), "kill-switch-reset", "--reason", "review", "--wait", "0s");
        assertNamesTheSetting(run, "REDIS_TLS_KEYSTORE");
    }

    private static Path mk(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Found in review (2026-12-07) of the store check: a JKS trust store whose password is not given is loaded by
     * Lettuce with a null password (no integrity check: the certificates are readable), so the connection works; the
     * check opened it with an empty password, whose integrity check fails, and refused it with exit 2.
     */
    @Test
    void aJksTruststoreWithoutItsPasswordStillConnects() throws Exception {
        Path jks = dir.resolve("trust.jks");
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(certs.ca().toPath())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(jks)) {
            ks.store(out, "changeit".toCharArray());
        }
        // what Lettuce does with REDIS_TLS_TRUSTSTORE_PASSWORD unset (SslOptions: password "" -> null -> load(in, null))
        KeyStore asLettuce = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(jks)) {
            asLettuce.load(in, null);
        }
        assertThat(asLettuce.size()).as("Lettuce reads the CA certificate").isEqualTo(1);

        Path work = Files.createDirectories(dir.resolve("w"));
        CliProcess.Run run = CliProcess.run(work, Map.of(
                        "REDIS_URL", "rediss://:review-pw-123@127.0.0.1:" + port,
                        "REDIS_TLS_VERIFY", "ca",
                        "REDIS_TLS_TRUSTSTORE", jks.toString()),
                Duration.ofSeconds(120), "kill-switch-reset", "--reason", "review", "--wait", "0s");
        // connected over TLS: the command reaches Redis (an empty namespace is then said, exit 2 for that reason)
        assertThat(run.toString()).as("a trust store Lettuce can use is accepted: " + run)
                .doesNotContain("REDIS_TLS_TRUSTSTORE=").contains("(TLS)");
    }
}
