package io.quantumtrader.streams.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import reactor.core.publisher.Mono;

/**
 * A connection that sends commit scripts in the order they are subscribed (so a task may pipeline its commits) and
 * can wait for replicas to acknowledge what it sent ({@code WAIT}): {@link CommitConnection} on one server,
 * {@link ClusterCommitConnection} on a Redis Cluster.
 */
public interface OrderedScriptConnection extends AutoCloseable {

    /**
     * @return the scripting commands of the dedicated connection (on a cluster: Lettuce's advanced cluster commands,
     *         which route a script by its first key's slot and broadcast SCRIPT LOAD to every node)
     */
    RedisScriptingAsyncCommands<byte[], byte[]> scripting();

    /** Runs EVALSHA, or EVAL when the server has not cached the script; dispatched on subscription, in order. */
    default Mono<Long> eval(String sha1, byte[] source, byte[][] keys, byte[][] args) {
        return Mono.defer(() -> Mono.<Long>fromCompletionStage(scripting().evalsha(sha1, ScriptOutputType.INTEGER, keys, args)))
                .onErrorResume(e -> RedisErrors.hasCode(e, "NOSCRIPT"),
                        e -> Mono.defer(() -> Mono.fromCompletionStage(scripting().eval(source, ScriptOutputType.INTEGER, keys, args))));
    }

    /**
     * SCRIPT LOAD of {@code source} (on a cluster: on every master), dispatched on subscription.
     *
     * @return the script's SHA-1 as the server computed it
     */
    default Mono<String> load(byte[] source) {
        return Mono.defer(() -> Mono.fromCompletionStage(scripting().scriptLoad(source)));
    }

    /**
     * {@code WAIT replicas timeoutMs} on the connection that applied {@code write} (on a cluster: the node that applied
     * it, which during a resharding need not be the slot map's master), so it covers every write sent before it there.
     *
     * @param write where the write went, recorded by {@link #eval} when the write ran in a context holding it
     *              ({@link CommitDurability#durable})
     * @return the number of replicas that acknowledged them
     */
    Mono<Long> waitForReplicas(WrittenOn write, int replicas, long timeoutMs);

    /**
     * @param write where a write went and when, recorded by {@link #eval} in a context holding it
     *              ({@link CommitDurability#durable})
     * @return whether the connection that applied the write was lost since the write was sent on it (true when nothing
     *         was recorded). A WAIT counts the writes of its own connection: after a reconnect (Lettuce sends the WAIT,
     *         or the write, again on the new connection) it returns at once, whether or not the replicas hold the write,
     *         so a WAIT whose write was sent before a loss proves nothing. A loss of another connection (another node's
     *         on a Redis Cluster, the template's) does not count.
     */
    boolean lostSince(WrittenOn write);

    @Override
    void close();
}
