package io.quantumtrader.app;

import org.springframework.boot.web.server.PortInUseException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;

/**
 * Turns any exception a command throws into a {@link CliException}: a cause a person can read, what to do, and an exit
 * code. Looks through the whole cause chain (Spring's bean-creation and Reactor's wrappers), preferring a
 * {@link CliException} already thrown by the code, then known causes (files, Redis, ports), then the innermost message.
 */
public final class FailureMessages {

    private FailureMessages() {
    }

    /** @return the failure to report for {@code error} */
    public static CliException describe(Throwable error) {
        CliException own = find(error, CliException.class);
        if (own != null) {
            return own;
        }
        NoSuchFileException missing = find(error, NoSuchFileException.class);
        if (missing != null) {
            return new CliException(CliException.INPUT, "no such file or directory: " + missing.getFile(),
                    "check the path (relative paths start at " + System.getProperty("user.dir") + ")", error);
        }
        AccessDeniedException denied = find(error, AccessDeniedException.class);
        if (denied != null) {
            return new CliException(CliException.INPUT, "permission denied: " + denied.getFile(),
                    "check the file's permissions, or choose another path", error);
        }
        java.nio.file.FileAlreadyExistsException exists = find(error, java.nio.file.FileAlreadyExistsException.class);
        if (exists != null) {
            // Files.createDirectories on a file: its reason is null ('cannot use small.csv: null', review 2026-12-07)
            return new CliException(CliException.INPUT, "cannot use " + exists.getFile() + ": it exists and is not a directory",
                    "give a directory to write into (a missing one is created), or another path", error);
        }
        FileSystemException fs = find(error, FileSystemException.class);
        if (fs != null) {
            return new CliException(CliException.INPUT, "cannot use " + fs.getFile() + (fs.getReason() == null ? "" : ": " + fs.getReason()),
                    "check the path (relative paths start at " + System.getProperty("user.dir") + ")", error);
        }
        PortInUseException port = find(error, PortInUseException.class);
        if (port != null) {
            return new CliException(CliException.SERVICE, "cannot start the service: port " + port.getPort() + " is already in use",
                    "stop the process listening on it, or choose another port with --server.port=<port>", error);
        }
        org.springframework.boot.web.server.WebServerException web = find(error, org.springframework.boot.web.server.WebServerException.class);
        if (web != null) {
            // an address that is not this host's, a port below 1024 without the right: "unexpected error", exit 1, until
            // 2026-12-07 (review); OPERATIONS.md gives exit code 4 to a service that cannot start
            return new CliException(CliException.SERVICE, "cannot start the service: its HTTP server cannot listen ("
                    + message(root(error)) + ")", "check --server.address and --server.port", error);
        }
        io.quantumtrader.streams.runtime.StartupRetry.RedisNotReadyException notReady =
                find(error, io.quantumtrader.streams.runtime.StartupRetry.RedisNotReadyException.class);
        if (notReady != null) {
            // one line already: the step and stream that got no reply, for how long, and what to check
            return new CliException(CliException.REDIS, notReady.getMessage(), null, error);
        }
        if (isRedisFailure(error)) {
            return redis(error, null, null);
        }
        org.springframework.boot.context.properties.bind.BindException bind =
                find(error, org.springframework.boot.context.properties.bind.BindException.class);
        if (bind != null && bind.getProperty() != null) {
            // before the IllegalArgumentException inside it, which does not name the setting (found in review,
            // 2026-12-05: 'invalid input: For input string: "lots"')
            var property = bind.getProperty();
            return new CliException(CliException.INPUT, "invalid setting " + property.getName() + "='"
                    + Secrets.redact(String.valueOf(property.getValue())) + "'" + (property.getOrigin() == null ? ""
                    : " (from " + property.getOrigin() + ")") + ": " + message(root(error)),
                    "fix the value (docs/OPERATIONS.md \"Running the service\" lists the settings)", error);
        }
        io.quantumtrader.streams.dsl.TopologyException topology = find(error, io.quantumtrader.streams.dsl.TopologyException.class);
        if (topology != null) {
            return new CliException(CliException.INPUT, "the topology cannot run: " + message(topology), null, error);
        }
        IllegalArgumentException invalid = find(error, IllegalArgumentException.class);
        if (invalid != null) {
            return new CliException(CliException.INPUT, "invalid input: " + message(invalid), null, error);
        }
        Throwable root = root(error);
        return new CliException(CliException.FAILED, "unexpected error: " + root.getClass().getSimpleName() + ": " + message(root),
                "run again with --verbose for the stack trace", error);
    }

    /**
     * @param error    what connecting to, or talking to, Redis threw
     * @param hostPort where Redis was expected, e.g. {@code 10.0.0.5:6379}; null when unknown
     * @param user     the ACL user of {@code REDIS_URL}, null for {@code default}
     * @return the failure, exit code {@link CliException#REDIS}
     */
    public static CliException redis(Throwable error, String hostPort, String user) {
        return redis(error, hostPort, user, RedisTls.NONE);
    }

    /**
     * @param tls the TLS settings used: a certificate the trust settings do not hold, or TLS spoken to a plain port (or
     *            the reverse), is named with the setting that fixes it
     * @return the failure, exit code {@link CliException#REDIS} ({@link CliException#FAILED} for a key of another type,
     *         WRONGTYPE: Redis itself works)
     */
    public static CliException redis(Throwable error, String hostPort, String user, RedisTls tls) {
        String all0 = allMessages(error);
        String at0 = hostPort == null ? "Redis" : "Redis at " + hostPort;
        if (tls.enabled() && (all0.contains("SslHandshakeTimeoutException") || all0.contains("handshake timed out"))) {
            // before the CA check: Netty's handshake timeout is an SSLHandshakeException too, and a plain port never
            // answers a ClientHello (found in review, 2026-12-05: reported as an untrusted CA)
            return new CliException(CliException.REDIS, at0 + " did not answer the TLS handshake (" + message(root(error))
                    + "): is it a plain port?", "use redis:// for a plain port, or the server's tls-port with rediss://", error);
        }
        java.security.cert.CertificateException outOfValidity = find(error, java.security.cert.CertificateExpiredException.class);
        if (outOfValidity == null) {
            outOfValidity = find(error, java.security.cert.CertificateNotYetValidException.class);
        }
        if (tls.enabled() && outOfValidity != null) {
            // before the CA check: an expired certificate fails the same PKIX validation (found in review, 2026-12-07:
            // reported as signed by an untrusted CA, with the hint to set the REDIS_TLS_CA_FILE already set)
            boolean expired = outOfValidity instanceof java.security.cert.CertificateExpiredException;
            return new CliException(CliException.REDIS, "the TLS certificate of " + at0 + (expired ? " has expired (" : " is not valid yet (")
                    + message(outOfValidity) + ")", "renew the Redis server certificate, or check this host's clock", error);
        }
        if (tls.enabled() && (all0.contains("certificate_required") || all0.contains("bad_certificate")
                || all0.contains("unknown_ca") && tls.presentsClientCertificate())) {
            // Redis' alert about the client's certificate (tls-auth-clients yes): not about the server's (review 2026-12-07)
            String what = tls.presentsClientCertificate()
                    ? " refused this client's TLS certificate (" + tls.clientCertificateSource() + "; " + message(root(error)) + ")"
                    : " requires a TLS client certificate and none is set (" + message(root(error)) + ")";
            return new CliException(CliException.REDIS, at0 + what, "set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE (or "
                    + "REDIS_TLS_KEYSTORE) to a client certificate signed by a CA Redis trusts (its tls-ca-cert-file)", error);
        }
        if (tls.enabled() && (find(error, javax.net.ssl.SSLHandshakeException.class) != null
                || all0.contains("PKIX path") || all0.contains("certification path") || all0.contains("No subject alternative")
                || all0.contains("doesn't match any of the subject alternative names"))) {
            String why = all0.contains("subject alternative") ? "names another host" : "is not signed by a trusted CA";
            return new CliException(CliException.REDIS, "the TLS certificate of " + at0 + " " + why + " (trust: " + tls.trustSource() + ")",
                    "set REDIS_TLS_CA_FILE to the CA that signed the Redis certificate (REDIS_TLS_VERIFY=ca accepts any host name)", error);
        }
        if (tls.enabled() && (all0.contains("not an SSL/TLS record") || all0.contains("SSLException"))) {
            return new CliException(CliException.REDIS, at0 + " does not speak TLS on that port (" + message(root(error)) + ")",
                    "use redis:// for a plain port, or the server's tls-port with rediss://", error);
        }
        String at = hostPort == null ? "Redis" : "Redis at " + hostPort;
        String who = user == null || user.isEmpty() ? "default" : user;
        String all = allMessages(error);
        if (all.contains("WRONGPASS") || all.contains("invalid username-password")) {
            return new CliException(CliException.REDIS, "authentication failed for user '" + who + "' at " + at + " (wrong password or user)",
                    "check the user and password in REDIS_URL (" + RedisUrl.SHAPE + "), or REDIS_PASSWORD when it is set", error);
        }
        if (all.contains("NOAUTH")) {
            return new CliException(CliException.REDIS, at + " requires a password and neither REDIS_URL nor REDIS_PASSWORD gives one",
                    "set REDIS_URL=" + RedisUrl.SHAPE + ", or REDIS_PASSWORD", error);
        }
        if (all.contains("without any password configured")) {
            return new CliException(CliException.REDIS, "REDIS_URL or REDIS_PASSWORD gives a password but " + at + " has none configured for user '" + who + "'",
                    "remove the password from REDIS_URL and REDIS_PASSWORD, or configure one in Redis (requirepass)", error);
        }
        if (all.contains("NOPERM")) {
            return new CliException(CliException.REDIS, "user '" + who + "' is not allowed a command the engine needs at " + at
                    + ": " + message(root(error)), "grant the user streams, hashes, scripts and keys of the namespace (ACL SETUSER)", error);
        }
        if (all.contains("WRONGTYPE")) {
            // Redis works: a key is not of the type the engine reads or writes there. "check that Redis is running,
            // and REDIS_URL" sent people to the wrong place, with Redis' exit code (review 2026-12-06)
            return new CliException(CliException.FAILED, at + " holds a key of another type where the engine expects a stream or "
                    + "hash (" + message(root(error)) + "): something else wrote into the namespace",
                    "use a namespace of its own (--namespace, quantum-trader.namespace), or remove the key the log names", error);
        }
        if (all.contains("cluster support disabled")) {
            // Lettuce's "Cannot retrieve cluster partitions" with "check that Redis is running" (review 2026-12-07): it
            // runs; Redis' answer was in the message's second line and the suppressed exceptions
            return new CliException(CliException.REDIS, at + " is not a Redis Cluster (cluster_enabled:0), and REDIS_URL "
                    + "names it as one (?cluster=true, or several addresses)",
                    "name the one server in REDIS_URL: redis://host:port, without ?cluster=true or other addresses", error);
        }
        UnknownHostException unknown = find(error, UnknownHostException.class);
        if (unknown != null) {
            return new CliException(CliException.REDIS, "Redis host not found: " + message(unknown),
                    "check the host name in REDIS_URL", error);
        }
        if (find(error, ConnectException.class) != null || all.contains("Connection refused")) {
            return new CliException(CliException.REDIS, at + " is unreachable (connection refused)",
                    "start Redis there or fix REDIS_URL (without it replay, bench and serve start a Redis of their own; "
                            + "kill-switch-reset needs it)", error);
        }
        if (!tls.enabled() && (all.contains("Connection reset by peer") || all.contains("Connection closed prematurely")
                || all.contains(RedisAtStart.HANDSHAKE_NOT_REGISTERED))) {
            // a TLS port closes a connection that speaks plain RESP to it (found in review, 2026-12-07: "check that Redis
            // is running" sent people to the wrong place)
            return new CliException(CliException.REDIS, at + " closed the connection before answering (" + message(root(error))
                    + "): is it a TLS port?", "use rediss:// (and REDIS_TLS_CA_FILE) for the server's tls-port, or redis:// with its plain port", error);
        }
        if (find(error, TimeoutException.class) != null || all.toLowerCase().contains("timed out") || all.contains("Timeout")) {
            return new CliException(CliException.REDIS, at + " did not answer in time (" + message(root(error)) + ")",
                    "check that Redis is running and reachable from this host (firewall, network policy)", error);
        }
        return new CliException(CliException.REDIS, (hostPort == null ? "Redis failed: " : "cannot use " + at + ": ")
                + message(root(error)), "check that Redis is running, and REDIS_URL", error);
    }

    /**
     * @return true when Redis refused to select the database ({@code ERR DB index is out of range}: the server's
     *         {@code databases} setting is not larger than the number)
     */
    static boolean isDatabaseOutOfRange(Throwable error) {
        return allMessages(error).contains("DB index is out of range");
    }

    /**
     * @param error     what connecting threw ({@link #isDatabaseOutOfRange})
     * @param target    the Redis and database that was asked for
     * @param databases the server's {@code databases} setting, or -1 when the server did not tell it
     * @return the failure, exit code {@link CliException#REDIS}: the database, the server's limit when known, and what
     *         to do (a database the server has, or a larger {@code databases} setting)
     */
    static CliException databaseOutOfRange(Throwable error, RedisTarget target, int databases) {
        String at = "Redis at " + target.hostPorts();
        if (databases > 0 && databases <= target.database()) {   // a limit that would admit the database is not quoted
            return new CliException(CliException.REDIS, at + " has no database " + target.database() + " (REDIS_URL names it): it has "
                    + databases + ", 0 to " + (databases - 1) + " (its 'databases' setting)",
                    "name a database from 0 to " + (databases - 1) + " in REDIS_URL (redis://host:port/<db>), or raise 'databases' in the "
                            + "server's configuration (redis.conf; Redis reads it at start)", error);
        }
        return new CliException(CliException.REDIS, at + " has no database " + target.database()
                + " (REDIS_URL names it; Redis: DB index is out of range): the server's 'databases' setting is "
                + target.database() + " or less", "name a smaller database in REDIS_URL (redis://host:port/<db>; CONFIG GET databases tells the "
                + "limit), or raise 'databases' in the server's configuration (redis.conf; Redis reads it at start)", error);
    }

    /** @return true when Redis refused SELECT because it runs in cluster mode (a cluster has database 0 only) */
    static boolean isSelectInClusterMode(Throwable error) {
        return allMessages(error).contains("SELECT is not allowed in cluster mode");
    }

    /**
     * @param target a standalone target whose server is a Redis Cluster node ({@code cluster_enabled:1})
     * @return the failure, exit code {@link CliException#REDIS}: the node, and that REDIS_URL must say cluster (and name
     *         no database, a cluster having database 0 only)
     */
    static CliException clusterNodeAsStandalone(RedisTarget target) {
        String database = target.database() == 0 ? "" : " and without /" + target.database() + " (a cluster has database 0 only)";
        return new CliException(CliException.REDIS, "Redis at " + target.hostPorts() + " is a node of a Redis Cluster "
                + "(cluster_enabled:1), and REDIS_URL names it as one server",
                "add ?cluster=true to REDIS_URL" + database + ", or list several nodes (redis://host1:port,host2:port) or "
                        + "set REDIS_CLUSTER_NODES", null);
    }

    /** @return true when the error comes from the Redis client (Lettuce or Spring Data Redis) */
    static boolean isRedisFailure(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            String name = t.getClass().getName();
            if (name.startsWith("io.lettuce.") || name.startsWith("org.springframework.data.redis.")) {
                return true;
            }
        }
        return false;
    }

    /** @return the first exception of the type in the cause chain, or null */
    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static Throwable root(Throwable error) {
        Throwable t = error;
        while (next(t) != null) {
            t = next(t);
        }
        return t;
    }

    private static Throwable next(Throwable t) {
        Throwable c = t.getCause();
        return c == t ? null : c;
    }

    /** @return every message of the cause chain and of the exceptions suppressed along it (Lettuce keeps each node's there) */
    private static String allMessages(Throwable error) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = error; t != null; t = next(t)) {
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            for (Throwable s : t.getSuppressed()) {
                sb.append(s.getClass().getName()).append(": ").append(s.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip().lines().findFirst().orElse("");
    }
}
