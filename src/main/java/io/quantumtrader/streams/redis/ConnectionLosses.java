package io.quantumtrader.streams.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Counts the connections of a Lettuce client that were lost, not closed by their owner: a {@code WAIT} covers only the
 * writes of its own connection, so a loss between a write and its {@code WAIT}'s reply makes that reply prove nothing
 * ({@link OrderedScriptConnection#lostSince}). Connections closed on purpose do not count (Lettuce marks them
 * closed before their channel goes): the cluster topology refresh opens and closes a connection to every node every
 * 30 s. Counted per connection too ({@link #count(Object)}): on a Redis Cluster a commit's {@code WAIT} goes to one
 * node's connection, and a loss of another node's says nothing about it.
 */
final class ConnectionLosses implements RedisConnectionStateListener, AutoCloseable {

    private final AbstractRedisClient client;
    private final Predicate<RedisChannelHandler<?, ?>> counted;
    private final AtomicLong lost = new AtomicLong();
    /** Losses per connection (Lettuce's connection object: a cluster's node connection is one), weakly held. */
    private final Map<RedisChannelHandler<?, ?>, AtomicLong> byConnection = Collections.synchronizedMap(new WeakHashMap<>());

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
            byConnection.computeIfAbsent(handler, h -> new AtomicLong()).incrementAndGet();
            lost.incrementAndGet();
        }
    }

    /** @return connections lost so far (only grows) */
    long count() {
        return lost.get();
    }

    /**
     * @param connection a Lettuce connection of the client (a {@code StatefulRedisConnection}, e.g. a cluster's node
     *                   connection)
     * @return how many times that connection was lost so far (only grows; 0 for one never lost or not counted)
     */
    long count(Object connection) {
        AtomicLong n = byConnection.get(connection);
        return n == null ? 0 : n.get();
    }

    /** Stops counting. */
    @Override
    public void close() {
        client.removeListener(this);
    }
}
