package io.quantumtrader.streams.redis;

import reactor.core.publisher.Mono;

/**
 * A connection that sends commit scripts in the order they are subscribed (so a task may pipeline its commits) and
 * can wait for replicas to acknowledge what it sent ({@code WAIT}): {@link CommitConnection} on one server,
 * {@link ClusterCommitConnection} on a Redis Cluster.
 */
public interface OrderedScriptConnection extends AutoCloseable {

    /** Runs EVALSHA, or EVAL when the server has not cached the script; dispatched on subscription, in order. */
    Mono<Long> eval(String sha1, byte[] source, byte[][] keys, byte[][] args);

    /**
     * SCRIPT LOAD of {@code source} (on a cluster: on every master), dispatched on subscription.
     *
     * @return the script's SHA-1 as the server computed it
     */
    Mono<String> load(byte[] source);

    /**
     * {@code WAIT replicas timeoutMs} on the connection that carried the writes to {@code key}'s server, so it covers
     * every write sent before it there.
     *
     * @return the number of replicas that acknowledged them
     */
    Mono<Long> waitForReplicas(String key, int replicas, long timeoutMs);

    @Override
    void close();
}
