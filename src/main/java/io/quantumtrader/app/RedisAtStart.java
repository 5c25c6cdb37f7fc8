package io.quantumtrader.app;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code serve}'s connection to Redis at start: a Redis that is not there yet (connection refused, no answer in time,
 * {@code LOADING} its data, {@code BUSY}, a cluster not yet {@code ok}) is waited for, up to a limit
 * ({@code quantum-trader.redis-start-wait}, 60 s), with a warning per attempt; a Redis that answers with a refusal
 * (password, ACL, database, TLS, a cluster named as one server) fails at once. Found in review (2026-12-07): one
 * {@code PING}, and a pod started while Redis restarted exited with code 3 and went into {@code CrashLoopBackOff},
 * whose growing back-off (up to 5 minutes) kept it down long after Redis was back; docs/OPERATIONS.md promised that
 * "at start Redis is waited for".
 */
final class RedisAtStart {

    /** Sleeps between attempts (replaced in tests). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private RedisAtStart() {
    }

    /**
     * @param limit how long to keep trying (0: one attempt)
     * @param warn  told one line per failed attempt that is retried
     * @return the connection, verified ({@link RedisConnection#of(RedisTarget)})
     * @throws CliException the last attempt's failure: at once for a refusal, after {@code limit} for a Redis not there
     */
    static RedisConnection connect(RedisTarget target, Duration limit, Consumer<String> warn, Sleeper sleeper) {
        long deadline = System.nanoTime() + limit.toNanos();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                return RedisConnection.of(target);
            } catch (CliException e) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (!notThereYet(e) || left.isNegative() || left.isZero()) {
                    throw e;
                }
                Duration wait = backoff.compareTo(left) < 0 ? backoff : left;
                warn.accept(Secrets.redact(e.getMessage()) + ": attempt " + attempt + ", trying again in " + wait.toMillis()
                        + " ms, for up to " + limit.toSeconds() + " s in all (quantum-trader.redis-start-wait)");
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * @return whether the failure is of a Redis not there yet (refused connection, no answer, a reply saying it is not
     *         ready) rather than one that answered with a refusal, which no wait mends
     */
    /** Lettuce's message for a connection closed before its handshake began (a close before any reply). */
    static final String HANDSHAKE_NOT_REGISTERED = "RedisHandshakeHandler not registered";

    static boolean notThereYet(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(e)) {
            all.add(t);
            all.addAll(java.util.Arrays.asList(t.getSuppressed()));   // Lettuce keeps a cluster's node failures there
        }
        boolean connecting = false;
        for (Throwable t : all) {
            if (t instanceof io.lettuce.core.RedisCommandExecutionException && t.getMessage() != null) {
                return io.quantumtrader.streams.runtime.StartupRetry.notReadyReply(t.getMessage());   // Redis answered: ready or not
            }
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.net.UnknownHostException) {
                return false;   // TLS settings, a host name: a setting to fix
            }
            String m = String.valueOf(t.getMessage());
            // a reset or a close before any reply: a proxy or sidecar in front of a Redis not listening yet, a Redis
            // shutting down; also a TLS port spoken to in plain RESP, whose message says so after the wait (found in
            // review of the first version, 2026-12-07: failed at once); Lettuce says "RedisHandshakeHandler not
            // registered" when the close comes before its handshake began (RedisAtStartProxyTest failed once in CI on it)
            if (t instanceof java.net.ConnectException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.lettuce.core.RedisCommandTimeoutException || m.contains("Connection refused")
                    || m.contains("Connection reset") || m.contains("Connection closed prematurely")
                    || m.contains(HANDSHAKE_NOT_REGISTERED)) {
                connecting = true;
            }
        }
        return connecting;
    }
}
