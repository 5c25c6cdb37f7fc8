package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.ForwardHook;

import java.time.Duration;

/**
 * How task commits reach Redis (docs/OPERATIONS.md "Redis Cluster and TLS").
 *
 * @param crossSlot    how outputs bound for another partition are written: {@link CrossSlot#AUTO} (the default) uses
 *                     the outbox on a Redis Cluster and the single commit script on one server
 * @param waitReplicas commit durability: after each commit, {@code WAIT <waitReplicas> <waitTimeout>} on the
 *                     connection that sent it; the batch counts as committed only when that many replicas have it
 *                     (fewer in time: the task restarts from what Redis holds, nothing is lost or duplicated). 0 (the
 *                     default): no WAIT, a commit acknowledged by the master can be lost if the master fails before
 *                     its replica received it (Redis replication is asynchronous)
 * @param waitTimeout  the WAIT timeout (ms precision, at least 1 ms)
 * @param forwardHook  runs at each step of forwarding the outbox (fault injection in tests; {@link ForwardHook#NONE})
 * @param forwardLagLimit how many outbox entries a task may have committed behind its running forward before its
 *                     commits wait for their forwards (backpressure of a slow target slot; default
 *                     {@value #DEFAULT_FORWARD_LAG_LIMIT}: four of the forwarder's pages). Found in review (2026-12-07):
 *                     commits never waited, and the outbox grew with the whole backlog ({@code SlowForwardBackpressureTest})
 */
public record CommitOptions(CrossSlot crossSlot, int waitReplicas, Duration waitTimeout, ForwardHook forwardHook,
                            long forwardLagLimit) {

    /** The default {@link #forwardLagLimit}: 2,000 outbox entries, four pages of the forwarder. */
    public static final long DEFAULT_FORWARD_LAG_LIMIT = 2_000;

    /** Where outputs bound for another partition (another Redis Cluster slot) are written. */
    public enum CrossSlot {
        /** {@link #OUTBOX} on a Redis Cluster, {@link #SINGLE_SCRIPT} on one server. */
        AUTO,
        /** Into the task's outbox with the commit, then forwarded idempotently to their slots (Redis Cluster). */
        OUTBOX,
        /** Straight into their streams by the commit script (one server only: a cluster refuses it with CROSSSLOT). */
        SINGLE_SCRIPT
    }

    public CommitOptions {
        java.util.Objects.requireNonNull(forwardHook, "forwardHook");
        if (forwardLagLimit < 1) {
            throw new IllegalArgumentException("forwardLagLimit must be at least 1, was " + forwardLagLimit);
        }
        if (waitReplicas < 0) {
            throw new IllegalArgumentException("waitReplicas must be 0 or more, was " + waitReplicas);
        }
        if (waitReplicas > 0 && (waitTimeout == null || waitTimeout.toMillis() < 1)) {
            throw new IllegalArgumentException("waitTimeout must be at least 1 ms when waiting for replicas");
        }
    }

    /** @return AUTO, no WAIT */
    public static CommitOptions defaults() {
        return new CommitOptions(CrossSlot.AUTO, 0, Duration.ofSeconds(1), ForwardHook.NONE, DEFAULT_FORWARD_LAG_LIMIT);
    }

    /** @return these options with {@code WAIT replicas timeout} after each commit (0 replicas: none) */
    public CommitOptions withWait(int replicas, Duration timeout) {
        return new CommitOptions(crossSlot, replicas, timeout, forwardHook, forwardLagLimit);
    }

    /** @return these options with another cross-slot mode */
    public CommitOptions withCrossSlot(CrossSlot mode) {
        return new CommitOptions(mode, waitReplicas, waitTimeout, forwardHook, forwardLagLimit);
    }

    /** @return these options with a hook run at each step of forwarding the outbox (tests) */
    public CommitOptions withForwardHook(ForwardHook hook) {
        return new CommitOptions(crossSlot, waitReplicas, waitTimeout, hook, forwardLagLimit);
    }

    /** @return these options with another {@link #forwardLagLimit} (outbox entries, at least 1) */
    public CommitOptions withForwardLagLimit(long entries) {
        return new CommitOptions(crossSlot, waitReplicas, waitTimeout, forwardHook, entries);
    }

    /** @return true when outputs for other slots go through the outbox, on a cluster or not */
    public boolean outbox(boolean cluster) {
        return crossSlot == CrossSlot.OUTBOX || (crossSlot == CrossSlot.AUTO && cluster);
    }
}
