package io.quantumtrader.streams.runtime;

/**
 * Lifecycle of one task on this instance (after Kafka Streams' {@code Task.State}). A task that lost its lease is
 * {@link #REVOKED}: it stopped and is never reported {@link #RUNNING} again until this instance takes the lease anew.
 */
public enum TaskState {
    /** Not owned by this instance (never taken, or taken by another instance). */
    UNASSIGNED,
    /** Lease taken: claiming the partition's pending entries and loading state stores. */
    RESTORING,
    /** Processing. */
    RUNNING,
    /**
     * Stopped because it moved to another instance (cooperative rebalance: the batch in flight was committed and the
     * lease released) or because this instance lost its lease (fenced, or not renewed in time: nothing more is
     * committed). {@link StreamTask#revocationReason()} says which.
     */
    REVOKED,
    /** Stopped by a graceful shutdown of the runtime (batches in flight committed, lease released). */
    CLOSED,
    /** Failed with an error that restarting cannot fix; the runtime is in ERROR. */
    ERROR;

    /** @return true while this instance holds the task's lease and works on it */
    public boolean owned() {
        return this == RESTORING || this == RUNNING;
    }
}
