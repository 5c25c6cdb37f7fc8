package io.quantumtrader.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A {@link RedisConnection} being opened on a thread of its own while the caller does other start-up work (the replay
 * parses its CSV meanwhile: both take ~2 s of a cold JVM, docs/BENCHMARKS.md). Whoever starts one either takes it
 * ({@link #get()}) or, when its own work failed, {@link #discard()}s it, which waits for the start to finish and
 * closes it, so no Redis started for the run outlives the JVM.
 */
final class RedisStarting {

    private final CompletableFuture<RedisConnection> connection;

    private RedisStarting(CompletableFuture<RedisConnection> connection) {
        this.connection = connection;
    }

    /** @return the connection of {@code open} (e.g. {@link RedisConnection#fromEnvironment}), being opened now */
    static RedisStarting start(Supplier<RedisConnection> open) {
        return new RedisStarting(CompletableFuture.supplyAsync(open, task -> {
            Thread t = new Thread(task, "redis-start");
            t.setDaemon(true);
            t.start();
        }));
    }

    /**
     * @return the open connection, once it is
     * @throws RuntimeException what opening it threw ({@link CliException} for an unusable {@code REDIS_URL} or an
     *                          unreachable Redis)
     */
    RedisConnection get() {
        try {
            return connection.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Waits for the start to end and closes the connection (and the Redis it started); a failed start is ignored. */
    void discard() {
        try {
            connection.join().close();
        } catch (RuntimeException ignored) {
            // the caller reports its own failure; this one would only hide it
        }
    }
}
