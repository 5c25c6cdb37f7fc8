package io.quantumtrader.app;

import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;

import java.io.File;
import java.util.Locale;
import java.util.Map;

/**
 * TLS to Redis ({@code rediss://}): which certificate authorities to trust, an optional client certificate, and how
 * strictly the server is checked. Settings (docs/OPERATIONS.md "Redis Cluster and TLS"):
 * <ul>
 *   <li>{@code REDIS_TLS_CA_FILE}: PEM file with the CA certificate(s) that signed the server's certificate; or</li>
 *   <li>{@code REDIS_TLS_TRUSTSTORE} (PKCS#12 or JKS) with {@code REDIS_TLS_TRUSTSTORE_PASSWORD}; neither: the JVM's
 *       default trust store (public CAs, as managed services use)</li>
 *   <li>client certificate (Redis {@code tls-auth-clients yes}): {@code REDIS_TLS_CERT_FILE} + {@code REDIS_TLS_KEY_FILE}
 *       (PEM, PKCS#8 key, optional {@code REDIS_TLS_KEY_PASSWORD}), or {@code REDIS_TLS_KEYSTORE} (PKCS#12) with
 *       {@code REDIS_TLS_KEYSTORE_PASSWORD}</li>
 *   <li>{@code REDIS_TLS_VERIFY}: {@code full} (default: the certificate must be trusted and name the host),
 *       {@code ca} (trusted, any name), {@code none} (no check: tests only)</li>
 *   <li>{@code REDIS_TLS=true} turns TLS on when the address comes from {@code REDIS_CLUSTER_NODES} alone</li>
 * </ul>
 * Passwords are registered with {@link Secrets} and never printed.
 *
 * @param enabled            TLS on
 * @param caFile             PEM CA file, or null
 * @param truststore         trust store file, or null
 * @param truststorePassword its password, or null
 * @param certFile           PEM client certificate chain, or null
 * @param keyFile            PEM private key of the client certificate, or null
 * @param keyPassword        password of the key, or null
 * @param keystore           PKCS#12 key store with the client certificate, or null
 * @param keystorePassword   its password, or null
 * @param verify             how the server's certificate is checked
 */
public record RedisTls(boolean enabled, File caFile, File truststore, String truststorePassword, File certFile,
                       File keyFile, String keyPassword, File keystore, String keystorePassword, SslVerifyMode verify) {

    /** No TLS. */
    public static final RedisTls NONE = new RedisTls(false, null, null, null, null, null, null, null, null, SslVerifyMode.FULL);

    /** @return TLS trusting the JVM's default CAs, no client certificate, full verification */
    public static RedisTls enabledWithDefaults() {
        return new RedisTls(true, null, null, null, null, null, null, null, null, SslVerifyMode.FULL);
    }

    /** @return TLS trusting the CA(s) of a PEM file */
    public static RedisTls trusting(File caFile) {
        return enabledWithDefaults().withCaFile(caFile);
    }

    /** @return these settings trusting the CA(s) of a PEM file */
    public RedisTls withCaFile(File ca) {
        return new RedisTls(true, ca, truststore, truststorePassword, certFile, keyFile, keyPassword, keystore, keystorePassword, verify);
    }

    /** @return these settings presenting a client certificate (PEM chain and PKCS#8 key) */
    public RedisTls withClientCertificate(File cert, File key, String password) {
        return new RedisTls(true, caFile, truststore, truststorePassword, cert, key, password, keystore, keystorePassword, verify);
    }

    /** The settings that only mean something over TLS: given with TLS off, they are refused ({@link #fromEnvironment}). */
    static final java.util.List<String> SETTINGS = java.util.List.of("REDIS_TLS_CA_FILE", "REDIS_TLS_TRUSTSTORE",
            "REDIS_TLS_TRUSTSTORE_PASSWORD", "REDIS_TLS_CERT_FILE", "REDIS_TLS_KEY_FILE", "REDIS_TLS_KEY_PASSWORD",
            "REDIS_TLS_KEYSTORE", "REDIS_TLS_KEYSTORE_PASSWORD", "REDIS_TLS_VERIFY");

    /**
     * @param env              the environment
     * @param enabledByUrl     true when {@code REDIS_URL} is {@code rediss://}
     * @return the settings of {@code REDIS_TLS_*}; {@link #NONE} when TLS is not enabled
     * @throws CliException (exit code 2) when a named file does not exist or a value is not recognized, or a
     *                     {@code REDIS_TLS_*} setting is given with TLS off ({@link #SETTINGS})
     */
    public static RedisTls fromEnvironment(Map<String, String> env, boolean enabledByUrl) {
        boolean enabled = enabledByUrl || "true".equalsIgnoreCase(trim(env.get("REDIS_TLS")));
        if (!enabled) {
            // a TLS setting with TLS off: the operator believes the connection is encrypted (found in review,
            // 2026-12-07: REDIS_TLS_CA_FILE with a redis:// URL connected in plain text without a word)
            for (String setting : SETTINGS) {
                if (trim(env.get(setting)) != null) {
                    throw new CliException(CliException.INPUT, setting + " is set but the connection to Redis is not TLS "
                            + "(REDIS_URL is redis://, REDIS_TLS is not true)",
                            "use rediss:// in REDIS_URL (or REDIS_TLS=true) to connect with TLS, or unset " + setting, null);
                }
            }
            return NONE;
        }
        String verify = trim(env.get("REDIS_TLS_VERIFY"));
        SslVerifyMode mode = switch (verify == null ? "full" : verify.toLowerCase(Locale.ROOT)) {
            case "full" -> SslVerifyMode.FULL;
            case "ca" -> SslVerifyMode.CA;
            case "none" -> SslVerifyMode.NONE;
            default -> throw new CliException(CliException.INPUT, "REDIS_TLS_VERIFY='" + verify + "' is not full, ca or none",
                    "set REDIS_TLS_VERIFY=full (default), ca (trusted certificate, any host name) or none (tests only)", null);
        };
        String tsPassword = secret(env.get("REDIS_TLS_TRUSTSTORE_PASSWORD"));
        String keyPassword = secret(env.get("REDIS_TLS_KEY_PASSWORD"));
        String ksPassword = secret(env.get("REDIS_TLS_KEYSTORE_PASSWORD"));
        RedisTls tls = new RedisTls(true, file(env, "REDIS_TLS_CA_FILE"), file(env, "REDIS_TLS_TRUSTSTORE"), tsPassword,
                file(env, "REDIS_TLS_CERT_FILE"), file(env, "REDIS_TLS_KEY_FILE"), keyPassword,
                file(env, "REDIS_TLS_KEYSTORE"), ksPassword, mode);
        if ((tls.certFile == null) != (tls.keyFile == null)) {
            throw new CliException(CliException.INPUT, "REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together (client certificate and its key)",
                    "set both, or neither", null);
        }
        tls.checkFiles();
        return tls;
    }

    /**
     * Reads the trust and client certificate files the way the connection will (Netty, JDK provider), so a file that
     * cannot be used is named with its setting before any connection. Found in review (2026-12-07): a client key in
     * the traditional PEM form ({@code BEGIN EC PRIVATE KEY}, openssl's and cert-manager's default) failed at connect as
     * "cannot use Redis at …: algid parse error", with the hint to check that Redis is running.
     *
     * @throws CliException (exit code 2) naming the setting whose file cannot be used, and how to fix it
     */
    private void checkFiles() {
        if (caFile != null) {
            check("REDIS_TLS_CA_FILE=" + caFile + ": not a PEM file of CA certificates",
                    "give the PEM file (BEGIN CERTIFICATE) of the CA that signed the Redis certificate",
                    () -> io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(caFile));
        }
        if (certFile != null) {
            String keyForm = firstLine(keyFile);
            boolean traditional = keyForm.matches("-----BEGIN (EC|RSA|DSA) PRIVATE KEY-----");
            check("REDIS_TLS_CERT_FILE=" + certFile + " with REDIS_TLS_KEY_FILE=" + keyFile + ": not a PEM certificate and "
                            + (traditional ? "a PKCS#8 key (the key is in the traditional form, " + keyForm + ")" : "its PKCS#8 key"),
                    traditional ? "convert the key: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out client-pkcs8.key, "
                            + "and set REDIS_TLS_KEY_FILE to the result"
                            : "give the client certificate (BEGIN CERTIFICATE) and its private key (BEGIN PRIVATE KEY, or BEGIN "
                            + "ENCRYPTED PRIVATE KEY with REDIS_TLS_KEY_PASSWORD)",
                    () -> io.netty.handler.ssl.SslContextBuilder.forClient()
                            .keyManager(certFile, keyFile, keyPassword));
        }
        if (truststore != null) {
            checkStore("REDIS_TLS_TRUSTSTORE", truststore, "REDIS_TLS_TRUSTSTORE_PASSWORD", truststorePassword);
        }
        if (keystore != null) {
            checkStore("REDIS_TLS_KEYSTORE", keystore, "REDIS_TLS_KEYSTORE_PASSWORD", keystorePassword);
        }
    }

    /**
     * Opens a key store (PKCS#12 or JKS, the JDK tells which) with its password, as the connection will. Found in review
     * (2026-12-07): a wrong password, or a PEM file given as a store, failed at connect as "cannot use Redis at …:
     * failed to decrypt safe contents entry" with Netty's WARN lines, exit code 3 and the hint to check that Redis runs.
     *
     * @throws CliException (exit code 2) naming the setting and whether the password or the file is wrong
     */
    private static void checkStore(String setting, File file, String passwordSetting, String password) {
        try {
            if (password == null) {
                // as the connection loads it (Lettuce: KeyStore.load(in, null), no integrity check): a JKS trust store
                // without a password works there and was refused here (found in review of this check, 2026-12-07)
                java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");   // reads JKS files too (keystore.type.compat)
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(file.toPath())) {
                    store.load(in, null);
                }
                if (store.size() == 0) {
                    throw new CliException(CliException.INPUT, setting + "=" + file + ": opened without a password, it holds "
                            + "nothing (a PKCS#12 store needs its password)", "set " + passwordSetting + " to the store's password", null);
                }
                return;
            }
            java.security.KeyStore.getInstance(file, password.toCharArray());
        } catch (java.io.IOException e) {
            boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || e.getCause() instanceof javax.crypto.BadPaddingException
                    || String.valueOf(e.getMessage()).contains("password");
            throw new CliException(CliException.INPUT, setting + "=" + file + ": " + (wrongPassword
                    ? passwordSetting + (password == null ? " is not set and the store needs one" : " does not open it")
                    : "not a PKCS#12 or JKS key store (" + Secrets.redact(firstLineOf(e)) + ")"),
                    wrongPassword ? "set " + passwordSetting + " to the store's password"
                            : "give a PKCS#12 (.p12) or JKS store, or a PEM file with "
                            + (setting.contains("TRUST") ? "REDIS_TLS_CA_FILE" : "REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE"), null);
        } catch (java.security.GeneralSecurityException e) {
            throw new CliException(CliException.INPUT, setting + "=" + file + ": not a PKCS#12 or JKS key store ("
                    + Secrets.redact(firstLineOf(e)) + ")", "give a PKCS#12 (.p12) or JKS store", null);
        }
    }

    private static String firstLineOf(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
    }

    private interface SslBuild {
        io.netty.handler.ssl.SslContextBuilder builder() throws Exception;
    }

    private static void check(String problem, String hint, SslBuild build) {
        try {
            build.builder().sslProvider(io.netty.handler.ssl.SslProvider.JDK).build();
        } catch (Exception e) {   // SSLException, IllegalArgumentException (a key Netty cannot read)
            String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
            throw new CliException(CliException.INPUT, problem + " (" + Secrets.redact(cause) + ")", hint, e);
        }
    }

    private static String firstLine(File file) {
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file.toPath(), java.nio.charset.StandardCharsets.US_ASCII)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
            return "";
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** @return true when a client certificate is set ({@code REDIS_TLS_CERT_FILE} or {@code REDIS_TLS_KEYSTORE}) */
    public boolean presentsClientCertificate() {
        return certFile != null || keystore != null;
    }

    /** @return where the client certificate comes from, for messages */
    public String clientCertificateSource() {
        return certFile != null ? "REDIS_TLS_CERT_FILE=" + certFile : keystore != null ? "REDIS_TLS_KEYSTORE=" + keystore : "none";
    }

    /** @return Lettuce's SSL options for these settings (trust material and client certificate) */
    public SslOptions sslOptions() {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (caFile != null) {
            b.trustManager(caFile);
        } else if (truststore != null) {
            b.truststore(truststore, truststorePassword == null ? "" : truststorePassword);
        }
        if (certFile != null) {
            b.keyManager(certFile, keyFile, keyPassword == null ? null : keyPassword.toCharArray());
        } else if (keystore != null) {
            b.keystore(keystore, keystorePassword == null ? new char[0] : keystorePassword.toCharArray());
        }
        return b.build();
    }

    /**
     * @return the settings with each password given as {@value Secrets#MASK} (the record's own {@code toString} printed
     *         them in clear, wherever a target was logged: review 2026-12-06)
     */
    @Override
    public String toString() {
        return "RedisTls[enabled=" + enabled + ", caFile=" + caFile + ", truststore=" + truststore + ", truststorePassword="
                + masked(truststorePassword) + ", certFile=" + certFile + ", keyFile=" + keyFile + ", keyPassword="
                + masked(keyPassword) + ", keystore=" + keystore + ", keystorePassword=" + masked(keystorePassword)
                + ", verify=" + verify + "]";
    }

    private static String masked(String password) {
        return password == null ? null : Secrets.MASK;
    }

    /** @return where trust comes from, for messages */
    public String trustSource() {
        if (caFile != null) {
            return "REDIS_TLS_CA_FILE=" + caFile;
        }
        if (truststore != null) {
            return "REDIS_TLS_TRUSTSTORE=" + truststore;
        }
        return "the JVM's default trust store (set REDIS_TLS_CA_FILE to the CA that signed the Redis certificate)";
    }

    private static File file(Map<String, String> env, String name) {
        String path = trim(env.get(name));
        if (path == null) {
            return null;
        }
        File f = new File(path);
        if (!f.isFile()) {
            throw new CliException(CliException.INPUT, name + "=" + path + ": file not found", "check the path (mounted secret?)", null);
        }
        return f;
    }

    private static String secret(String value) {
        Secrets.register(value);
        return value;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
