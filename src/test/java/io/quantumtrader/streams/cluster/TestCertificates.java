package io.quantumtrader.streams.cluster;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed test CA and certificates it signs (server: CN=localhost, SAN IP:127.0.0.1 and DNS:localhost; client),
 * made with the JDK's keytool, keys exported as PEM (PKCS#8) for redis-server. Nothing but the JDK is needed.
 */
public final class TestCertificates {

    private static final String PASS = "changeit";

    /** PEM files: CA certificate, server certificate and key, client certificate and key. */
    public record Pem(File ca, File serverCert, File serverKey, File clientCert, File clientKey) {
    }

    private TestCertificates() {
    }

    /** @return a CA certificate (PEM) in {@code dir}, signing nothing */
    public static File caOnly(Path dir, String caName) throws IOException, InterruptedException {
        ca(dir, caName);
        return dir.resolve("ca.crt").toFile();
    }

    private static void ca(Path dir, String caName) throws IOException, InterruptedException {
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASS);
        keytool(dir, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASS, "-rfc", "-file", "ca.crt");
    }

    /** @return a new CA and certificates in {@code dir} (server and client made in parallel) */
    public static Pem create(Path dir, String caName) throws IOException, InterruptedException {
        ca(dir, caName);
        List<java.util.concurrent.CompletableFuture<Void>> chains = new ArrayList<>();
        for (String who : List.of("server", "client")) {
            chains.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    signed(dir, who);
                } catch (IOException | InterruptedException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(chains.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IOException(e.getCause());
        }
        return new Pem(dir.resolve("ca.crt").toFile(), dir.resolve("server.crt").toFile(), dir.resolve("server.key").toFile(),
                dir.resolve("client.crt").toFile(), dir.resolve("client.key").toFile());
    }

    private static void signed(Path dir, String who) throws IOException, InterruptedException {
        {
            keytool(dir, "-genkeypair", "-alias", who, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + (who.equals("server") ? "localhost" : "qt-client"),
                    "-validity", "2", "-keystore", who + ".p12", "-storetype", "PKCS12", "-storepass", PASS);
            keytool(dir, "-certreq", "-alias", who, "-keystore", who + ".p12", "-storepass", PASS, "-file", who + ".csr");
            List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASS,
                    "-infile", who + ".csr", "-outfile", who + ".crt", "-rfc", "-validity", "2"));
            if (who.equals("server")) {
                gencert.addAll(List.of("-ext", "SAN=IP:127.0.0.1,DNS:localhost"));
            }
            keytool(dir, gencert.toArray(String[]::new));
            writeKey(dir.resolve(who + ".p12"), who, dir.resolve(who + ".key"));
        }
    }

    private static void writeKey(Path p12, String alias, Path out) throws IOException {
        try (InputStream in = new FileInputStream(p12.toFile())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            PrivateKey key = (PrivateKey) ks.getKey(alias, PASS.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(out, pem);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + p12, e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
