package io.quantumtrader.app;

import io.quantumtrader.streams.cluster.RedisBinary;
import io.quantumtrader.streams.cluster.TestCertificates;
import io.quantumtrader.streams.cluster.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Review: the wording of TLS failures other than an unknown CA. (1) A server certificate that has expired, signed by
 * the CA given in REDIS_TLS_CA_FILE, is reported as "not signed by a trusted CA" with the hint to set
 * REDIS_TLS_CA_FILE (already set, to the right CA). (2) A server that requires a client certificate
 * (tls-auth-clients yes) and gets none.
 */
class RedisTlsFailureWordingTest {

    static final String PASSWORD = "tls-wording-pw";
    static Path dir;
    static TestCertificates.Pem certs;
    static final List<Process> servers = new ArrayList<>();
    static int expiredPort;
    static int clientAuthPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("qt-tls-wording");
        Path ca = Files.createDirectories(dir.resolve("ca"));
        certs = TestCertificates.create(ca, "qt-wording-ca");
        // a server certificate of the same CA, valid from 10 days ago for 1 day: expired
        keytool(ca, "-genkeypair", "-alias", "expired", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", "expired.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        keytool(ca, "-certreq", "-alias", "expired", "-keystore", "expired.p12", "-storepass", "changeit", "-file", "expired.csr");
        keytool(ca, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-infile", "expired.csr",
                "-outfile", "expired.crt", "-rfc", "-startdate", "-3d", "-validity", "1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost");
        writeKey(ca.resolve("expired.p12"), ca.resolve("expired.key"));
        expiredPort = startServer("expired", ca.resolve("expired.crt").toFile(), ca.resolve("expired.key").toFile(), false);
        clientAuthPort = startServer("clientauth", certs.serverCert(), certs.serverKey(), true);
    }

    static int startServer(String name, File cert, File key, boolean clientAuth) throws Exception {
        int port = TestCluster.freePortPair();
        Path d = Files.createDirectories(dir.resolve(name));
        Path conf = d.resolve("redis.conf");
        Files.writeString(conf, String.join("\n", "port 0", "tls-port " + port, "bind 127.0.0.1", "dir " + d, "save \"\"",
                "appendonly no", "tls-cert-file " + cert, "tls-key-file " + key, "tls-ca-cert-file " + certs.ca(),
                "tls-auth-clients " + (clientAuth ? "yes" : "no"), "requirepass " + PASSWORD, ""));
        servers.add(new ProcessBuilder(RedisBinary.path().toString(), conf.toString()).redirectErrorStream(true)
                .redirectOutput(d.resolve("redis.log").toFile()).start());
        TestCluster.waitForListening("TLS redis-server " + name, port, Duration.ofSeconds(10));
        return port;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : servers) {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void anExpiredServerCertificateIsNotReportedAsAnUntrustedCa() {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", "rediss://:" + PASSWORD + "@127.0.0.1:" + expiredPort);
        env.put("REDIS_TLS_CA_FILE", certs.ca().toString());
        assertThatThrownBy(() -> RedisConnection.of(RedisTarget.fromEnvironment(env)))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    System.out.println("EXPIRED: " + e.getMessage() + " | hint: " + e.hint());
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) System.out.println("  cause: " + t);
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                    assertThat(e.getMessage()).doesNotContain("not signed by a trusted CA").containsIgnoringCase("expired");
                });
    }

    @Test
    void aMissingClientCertificateIsNamedAsSuch() {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", "rediss://:" + PASSWORD + "@127.0.0.1:" + clientAuthPort);
        env.put("REDIS_TLS_CA_FILE", certs.ca().toString());
        assertThatThrownBy(() -> RedisConnection.of(RedisTarget.fromEnvironment(env)))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    System.out.println("NOCLIENTCERT: " + e.getMessage() + " | hint: " + e.hint());
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) System.out.println("  cause: " + t);
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                    assertThat(e.getMessage() + " " + e.hint()).contains("client certificate");
                });
    }

    @Test
    void plainRedisToATlsPortIsNamedAsSuch() {
        // FailureMessages.redis' javadoc: "TLS spoken to a plain port (or the reverse), is named with the setting that fixes it"
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + expiredPort);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RedisConnection.of(RedisTarget.fromEnvironment(env)))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    System.out.println("PLAIN2TLS (" + (System.nanoTime() - t0) / 1_000_000 + " ms): " + e.getMessage() + " | hint: " + e.hint());
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                    assertThat(e.getMessage() + " " + e.hint()).contains("rediss://");
                });
    }

    @Test
    void aClientKeyInTraditionalPemIsNamedAsTheKeySetting() throws Exception {
        // the EC key as 'BEGIN EC PRIVATE KEY' (openssl's and cert-manager's default, PKCS#1 style), not PKCS#8
        Path traditional = dir.resolve("client-traditional.key");
        Process p = new ProcessBuilder("openssl", "ec", "-in", certs.clientKey().toString(), "-out", traditional.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(traditional)).contains("BEGIN EC PRIVATE KEY");
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", "rediss://:" + PASSWORD + "@127.0.0.1:" + clientAuthPort);
        env.put("REDIS_TLS_CA_FILE", certs.ca().toString());
        env.put("REDIS_TLS_CERT_FILE", certs.clientCert().toString());
        env.put("REDIS_TLS_KEY_FILE", traditional.toString());
        try {
            RedisConnection.of(RedisTarget.fromEnvironment(env)).close();
            System.out.println("TRADKEY: connected");
        } catch (CliException e) {
            System.out.println("TRADKEY: exit " + e.exitCode() + ": " + e.getMessage() + " | hint: " + e.hint());
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) System.out.println("  cause: " + t);
            assertThat(e.getMessage() + " " + e.hint()).contains("REDIS_TLS_KEY_FILE");
        }
    }

    private static void keytool(Path d, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
        }
    }

    private static void writeKey(Path p12, Path out) throws Exception {
        try (var in = new java.io.FileInputStream(p12.toFile())) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            java.security.PrivateKey k = (java.security.PrivateKey) ks.getKey("expired", "changeit".toCharArray());
            Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        }
    }
}
