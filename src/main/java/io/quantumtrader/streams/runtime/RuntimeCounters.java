package io.quantumtrader.streams.runtime;

import java.util.concurrent.atomic.LongAdder;

/** Running totals over every task of a runtime (the Micrometer binder reads these). */
public final class RuntimeCounters {
    final LongAdder recordsIn = new LongAdder();
    final LongAdder recordsOut = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder restarts = new LongAdder();
    final LongAdder reclaimed = new LongAdder();
    final LongAdder droppedLate = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder processorRetries = new LongAdder();
    final LongAdder punctuations = new LongAdder();
    final LongAdder processNanos = new LongAdder();
    final java.util.concurrent.atomic.AtomicLong commitsInFlight = new java.util.concurrent.atomic.AtomicLong();
    final LongAdder commitNanos = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder notReplicated = new LongAdder();
    final LongAdder outboxForwarded = new LongAdder();
    final LongAdder outboxRepeats = new LongAdder();
    final LongAdder groupsRecreated = new LongAdder();
    final LongAdder commitsLost = new LongAdder();

    /** @return input entries processed in committed batches */
    public long recordsIn() { return recordsIn.sum(); }

    /** @return entries appended to output streams (DLQ entries not included) */
    public long recordsOut() { return recordsOut.sum(); }

    /** @return entries XACKed that were pending (sum of commit script results) */
    public long acknowledged() { return acknowledged.sum(); }

    /** @return committed batches */
    public long commits() { return commits.sum(); }

    /** @return entries sent to dead-letter streams */
    public long deadLettered() { return deadLettered.sum(); }

    /** @return task restarts after a failure (a failed commit, a Redis error): each reloads state and reclaims pending entries */
    public long restarts() { return restarts.sum(); }

    /** @return retries of failing processor functions (each after a backoff delay) */
    public long processorRetries() { return processorRetries.sum(); }

    /** @return records dropped because their window had closed (stream time past window end + grace) */
    public long droppedLate() { return droppedLate.sum(); }

    /** @return records stages dropped for another reason than lateness (a null key or value), in committed batches */
    public long dropped() { return dropped.sum(); }

    /**
     * @return punctuation runs of the tasks (each wall-clock tick, every {@code punctuationInterval}, and each
     *         end-of-input notice) whose processors' punctuations completed, also those with nothing to commit;
     *         counted when they ran, whether or not their commit lands (a run repeated after a restart counts again)
     */
    public long punctuations() { return punctuations.sum(); }

    /** @return commit scripts sent whose reply has not been handled yet */
    public long commitsInFlight() { return commitsInFlight.get(); }

    /** @return total time spent running batches through the topology (decode, stages, encode), ns */
    public long processNanos() { return processNanos.sum(); }

    /** @return total time from sending a commit script to its reply, ns */
    public long commitNanos() { return commitNanos.sum(); }

    /** @return input entries whose event id was processed before (dedupe window): acknowledged and skipped */
    public long duplicates() { return duplicates.sum(); }

    /** @return input entries refused at their source (oversized, wrong type, future event time, ...): dead-lettered */
    public long rejected() { return rejected.sum(); }

    /** @return pending entries claimed at task start (XAUTOCLAIM) */
    public long reclaimed() { return reclaimed.sum(); }

    /** @return commits the master applied that fewer replicas than required acknowledged in time (WAIT) */
    public long notReplicated() { return notReplicated.sum(); }

    /** @return outbox entries appended to their target streams (Redis Cluster) */
    public long outboxForwarded() { return outboxForwarded.sum(); }

    /** @return outbox entries a forward found appended before (a repeat after a crash, or a concurrent forward) and dropped */
    public long outboxRepeats() { return outboxRepeats.sum(); }

    /** @return consumer groups a task found missing and created again from the start of their stream (Redis lost its data) */
    public long groupsRecreated() { return groupsRecreated.sum(); }

    /**
     * @return commits this instance counted that Redis no longer has (a task's meta hash found behind the last commit
     *         it counted: Redis restarted from an older RDB or an AOF without its tail); their batches are processed
     *         again, so their records are counted twice in the other counters
     */
    public long commitsLost() { return commitsLost.sum(); }
}
