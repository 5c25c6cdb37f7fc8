package io.quantumtrader.streams.redis;

import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The connection a durable write went out on, so that its {@code WAIT} follows it there: a {@code WAIT} counts only the
 * writes of its own connection, on its own server. {@link CommitDurability#durable} puts one in the write's Reactor
 * context; a commit connection that chooses a node per write ({@link ClusterCommitConnection}) records the node
 * connection that applied it. Each records how often that connection had been lost when the write was sent, so that
 * a loss between the write and its {@code WAIT}'s reply is seen ({@link OrderedScriptConnection#lostSince}).
 */
final class WrittenOn {

    private volatile StatefulRedisConnection<byte[], byte[]> node;
    private volatile long lossesAtSend = -1;

    /**
     * @param node         the (node) connection whose server applied the write
     * @param lossesAtSend how many times that connection had been lost when the write was sent on it
     */
    void record(StatefulRedisConnection<byte[], byte[]> node, long lossesAtSend) {
        this.lossesAtSend = lossesAtSend;
        this.node = node;
    }

    /** @return the losses of {@link #node()} when the write was sent; -1 when nothing was recorded */
    long lossesAtSend() {
        return lossesAtSend;
    }

    /** @return the node connection that applied the write, or null when none was recorded */
    StatefulRedisConnection<byte[], byte[]> node() {
        return node;
    }
}
