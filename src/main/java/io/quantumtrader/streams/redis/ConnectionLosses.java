package io.quantumtrader.streams.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Counts the connections of a Lettuce client that were lost, not closed by their owner: a {@code WAIT} covers only the
 * writes of its own connection, so a loss between a write and its {@code WAIT}'s reply makes that reply prove nothing
 * ({@link OrderedScriptConnection#connectionsLost()}). Connections closed on purpose do not count (Lettuce marks them
 * closed before their channel goes): the cluster topology refresh opens and closes a connection to every node every
 * 30 s.
 */
final class ConnectionLosses implements RedisConnectionStateListener, AutoCloseable {

    private final AbstractRedisClient client;
    private final Predicate<RedisChannelHandler<?, ?>> counted;
    private final AtomicLong lost = new AtomicLong();

    /**
     * Starts counting.
     *
     * @param counted which of the client's connections count (called on Lettuce's I/O threads)
     */
    ConnectionLosses(AbstractRedisClient client, Predicate<RedisChannelHandler<?, ?>> counted) {
        this.client = client;
        this.counted = counted;
        client.addListener(this);
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (!handler.isClosed() && counted.test(handler)) {
            lost.incrementAndGet();
        }
    }

    /** @return connections lost so far (only grows) */
    long count() {
        return lost.get();
    }

    /** Stops counting. */
    @Override
    public void close() {
        client.removeListener(this);
    }
}
