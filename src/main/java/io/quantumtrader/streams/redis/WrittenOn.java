package io.quantumtrader.streams.redis;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The connection a durable write went out on, so that its {@code WAIT} follows it there: a {@code WAIT} counts only the
 * writes of its own connection, on its own server. {@link CommitDurability#durable} puts one in the write's Reactor
 * context; a commit connection that chooses a node per write ({@link ClusterCommitConnection}) records the node
 * connection that applied it. The standalone {@link CommitConnection} has one connection and records nothing.
 */
final class WrittenOn {

    private volatile StatefulRedisConnection<byte[], byte[]> node;

    /** @param node the node connection whose server applied the write */
    void record(StatefulRedisConnection<byte[], byte[]> node) {
        this.node = node;
    }

    /** @return the node connection that applied the write, or null when none was recorded */
    StatefulRedisConnection<byte[], byte[]> node() {
        return node;
    }
}
