package io.quantumtrader.streams.redis;

import io.lettuce.core.api.AsyncCloseable;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection of the engine's own (commits, fenced reads) and waits for it, 2 s at most, never failing the
 * stop. Not waiting made Lettuce warn "Connection is already closed" at 7 of 30 single-core replay exits: the client's
 * shutdown, right after, closed a connection whose close had just completed a second time (docs/BENCHMARKS.md,
 * 2026-12-03 16:46 UTC). Called from a stopping thread, never from an event loop (the close completes there).
 */
final class ConnectionClose {

    private ConnectionClose() {
    }

    /** Closes {@code connection} and returns once it is closed, or after 2 s, or when closing failed. */
    static void awaitClose(AsyncCloseable connection) {
        connection.closeAsync().exceptionally(e -> null).completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
    }
}
