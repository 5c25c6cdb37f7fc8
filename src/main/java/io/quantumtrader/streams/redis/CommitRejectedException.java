package io.quantumtrader.streams.redis;

/**
 * A commit that Redis refused before writing anything: a check of {@code commit.lua} failed (a key of the batch holds
 * another type, an output stream's entry ids are used up, an input's consumer group was destroyed) or the server is
 * out of memory. The batch had no effect. Also raised, for the same kind of failed check, by the task's other scripts
 * that write (the claim of pending entries, the Redis Cluster outbox forward) and by {@link EventPublisher}.
 * A transient rejection (out of memory) may succeed later; a persistent one (wrong key type, missing group) will fail
 * every time, so the task stops instead of retrying.
 */
public final class CommitRejectedException extends RuntimeException {

    private final boolean transientCondition;

    /**
     * @param message   the cause, as the script or Redis reported it
     * @param transientCondition true when a retry may succeed (out of memory)
     */
    public CommitRejectedException(String message, boolean transientCondition) {
        super(message);
        this.transientCondition = transientCondition;
    }

    /** @return true when a retry may succeed (out of memory), false when it will fail the same way */
    public boolean isTransient() {
        return transientCondition;
    }
}
