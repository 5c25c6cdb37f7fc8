package io.quantumtrader.streams.runtime;

import java.time.Duration;

/**
 * How instances share tasks (DESIGN §2 "Assignment"; docs/OPERATIONS.md "Scaling").
 *
 * @param leaseTtl            a task lease and a membership entry live this long unless renewed (every
 *                            {@code leaseTtl / 3}); a killed instance's tasks move after at most this long. Default 10 s
 * @param rebalanceInterval   how often an instance reads the membership and lease owners, computes the assignment and
 *                            starts or hands over tasks (at most {@code leaseTtl / 3}). Default 1 s
 * @param orphanedPendingIdle an entry pending this long for a consumer other than the task's owner is claimed by the
 *                            owner (checked every half of it; a safety net: a new owner claims everything when it takes
 *                            the lease). Default 30 s
 */
public record AssignmentConfig(Duration leaseTtl, Duration rebalanceInterval, Duration orphanedPendingIdle) {

    public AssignmentConfig {
        if (leaseTtl == null || leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("leaseTtl must be at least 300 ms, was " + leaseTtl);
        }
        if (rebalanceInterval == null || rebalanceInterval.toMillis() < 10) {
            throw new IllegalArgumentException("rebalanceInterval must be at least 10 ms, was " + rebalanceInterval);
        }
        if (orphanedPendingIdle == null || orphanedPendingIdle.toMillis() < 100) {
            throw new IllegalArgumentException("orphanedPendingIdle must be at least 100 ms, was " + orphanedPendingIdle);
        }
    }

    /** @return lease TTL 10 s, rebalance every 1 s, orphaned pending entries claimed after 30 s */
    public static AssignmentConfig defaults() {
        return new AssignmentConfig(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** @return how often leases and the membership entry are renewed: a third of the TTL */
    public Duration renewInterval() {
        return leaseTtl.dividedBy(3);
    }

    /** @return the rebalance interval, capped at {@link #renewInterval()} */
    public Duration effectiveRebalanceInterval() {
        return rebalanceInterval.compareTo(renewInterval()) < 0 ? rebalanceInterval : renewInterval();
    }

    public AssignmentConfig withLeaseTtl(Duration v) {
        return new AssignmentConfig(v, rebalanceInterval, orphanedPendingIdle);
    }

    public AssignmentConfig withRebalanceInterval(Duration v) {
        return new AssignmentConfig(leaseTtl, v, orphanedPendingIdle);
    }

    public AssignmentConfig withOrphanedPendingIdle(Duration v) {
        return new AssignmentConfig(leaseTtl, rebalanceInterval, v);
    }
}
