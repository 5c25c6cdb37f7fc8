package io.quantumtrader.streams.redis;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * The Redis Cluster counterpart of {@link CommitConnection}: a dedicated Lettuce cluster connection (same seeds,
 * credentials, TLS and topology refresh as the template's client) for commit scripts. Each script goes to the master
 * of its first key's slot on that node's connection, in subscription order (dispatched from the connection's
 * {@link DispatchThread}), so a task's pipelined commits stay in order; {@code WAIT} is sent on the same node
 * connection, after the commit, so it covers it.
 */
public final class ClusterCommitConnection implements OrderedScriptConnection {

    private final StatefulRedisClusterConnection<byte[], byte[]> connection;
    private final DispatchThread dispatch = new DispatchThread("qt-commit");
    /**
     * Losses of any connection of the client ({@link #connectionsLost()}): the node connections a cluster connection
     * writes on are Lettuce's own and not told apart here, so a loss of any (the template's too) counts.
     */
    private final ConnectionLosses losses;

    private ClusterCommitConnection(RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> connection) {
        this.connection = connection;
        this.losses = new ConnectionLosses(client, handler -> true);
    }

    /** @return a new connection when the template runs on Lettuce against a Redis Cluster, else empty */
    public static Optional<ClusterCommitConnection> open(ReactiveStringRedisTemplate template) {
        if (!(template.getConnectionFactory() instanceof LettuceConnectionFactory factory)
                || !(factory.getNativeClient() instanceof RedisClusterClient client)) {
            return Optional.empty();
        }
        return Optional.of(new ClusterCommitConnection(client, client.connect(ByteArrayCodec.INSTANCE)));
    }

    /** Lettuce's advanced cluster commands: a script goes to its first key's master, SCRIPT LOAD to every node. */
    @Override
    public RedisScriptingAsyncCommands<byte[], byte[]> scripting() {
        return connection.async();
    }

    /** {@link OrderedScriptConnection#eval}, dispatched from this connection's {@link DispatchThread}. */
    @Override
    public Mono<Long> eval(String sha1, byte[] source, byte[][] keys, byte[][] args) {
        return dispatch.send(() -> OrderedScriptConnection.super.eval(sha1, source, keys, args));
    }

    @Override
    public Mono<Long> waitForReplicas(String key, int replicas, long timeoutMs) {
        return dispatch.send(() -> {
            RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (master == null) {
                return Mono.error(new IllegalStateException("no master serves the slot of " + key + " (cluster down?)"));
            }
            return Mono.fromCompletionStage(connection.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort(),
                            ConnectionIntent.WRITE))
                    .flatMap(node -> Mono.fromCompletionStage(node.async().waitForReplication(replicas, timeoutMs)));
        });
    }

    @Override
    public long connectionsLost() {
        return losses.count();
    }

    @Override
    public void close() {
        losses.close();
        ConnectionClose.awaitClose(connection);
        dispatch.close();
    }
}
