package io.quantumtrader.streams.redis;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Commit durability ({@code CommitOptions.waitReplicas}): after a commit, {@code WAIT <replicas> <timeout>} on the
 * connection that sent it. Redis replication is asynchronous: without it a commit the master acknowledged is lost if
 * the master fails before a replica received it and that replica is promoted. With it, a batch counts as committed
 * only once enough replicas hold it; when fewer acknowledge in time the commit fails with
 * {@link CommitNotReplicatedException} (the task restarts from what Redis holds: the commit was applied on the
 * master, so nothing is re-done, and if the master then fails the batch is processed again, not lost).
 */
public final class CommitDurability {

    private final OrderedScriptConnection connection;
    private final int replicas;
    private final long timeoutMs;

    /**
     * @param connection the connection commits are sent on; required when replicas are waited for
     * @param replicas   replicas that must acknowledge each commit; 0 for no WAIT
     * @param timeout    how long WAIT waits for them
     * @throws IllegalArgumentException when replicas are to be waited for and there is no such connection
     */
    public CommitDurability(OrderedScriptConnection connection, int replicas, java.time.Duration timeout) {
        this.connection = connection;
        this.replicas = replicas;
        this.timeoutMs = timeout.toMillis();
        if (replicas > 0 && connection == null) {
            throw new IllegalArgumentException("commit durability (WAIT " + replicas + ") needs Lettuce: the WAIT must go "
                    + "on the connection that sent the commit");
        }
    }

    /** @return true when commits wait for replicas ({@code WAIT}) before they count */
    public boolean waitsForReplicas() {
        return replicas > 0;
    }

    /**
     * @param write a write on the commit connection (a commit, an outbox forward), subscribed by the returned Mono; it
     *              runs with a {@link WrittenOn} in its Reactor context, so the WAIT goes where it was applied
     * @return the write's result once the replicas acknowledged it (at once when no WAIT is configured); errors with
     *         {@link CommitNotReplicatedException} when fewer did in time, or when the connection that applied the
     *         write was lost between the write and the WAIT's reply: a WAIT covers only its own connection's writes,
     *         so one Lettuce sent again after a reconnect returned at once although the replica did not hold the write
     *         (CommitDurabilityTest). A loss of another node's connection does not fail it (ClusterCommitDurabilityTest)
     */
    public <T> Mono<T> durable(Mono<T> write) {
        if (replicas == 0) {
            return write;
        }
        return Mono.defer(() -> {
            WrittenOn writtenOn = new WrittenOn();
            return write.contextWrite(Context.of(WrittenOn.class, writtenOn))
                    .flatMap(result -> connection.waitForReplicas(writtenOn, replicas, timeoutMs)
                    .flatMap(n -> {
                        if (connection.lostSince(writtenOn)) {
                            return Mono.error(new CommitNotReplicatedException("the connection was lost between the "
                                    + "write and its WAIT: whether " + replicas + " replica(s) hold it is unknown"));
                        }
                        return n >= replicas ? Mono.just(result) : Mono.<T>error(new CommitNotReplicatedException(
                                "commit reached " + n + " of " + replicas + " replica(s) within " + timeoutMs + " ms (WAIT)"));
                    }));
        });
    }

    /** A commit applied on the master that fewer replicas than required acknowledged in time. */
    public static final class CommitNotReplicatedException extends RuntimeException {
        public CommitNotReplicatedException(String message) {
            super(message);
        }
    }
}
