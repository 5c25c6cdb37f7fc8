package io.quantumtrader.streams.runtime;

import java.time.Duration;

/**
 * A global table's replica got no page of its stream within the bound ({@link GlobalStoreReplica#PAGE_TIMEOUT}): the
 * refresh fails the task's run, which restarts, instead of waiting for ever (found in review, 2026-12-07: a
 * StackOverflowError swallowed on the Lettuce I/O thread left the refresh, and the task, hanging with nothing logged).
 */
public final class GlobalRefreshStalledException extends RuntimeException {

    /**
     * @param store   the global table
     * @param key     the stream partition's Redis key whose page did not come
     * @param timeout the bound, per page
     */
    public GlobalRefreshStalledException(String store, String key, Duration timeout) {
        super("global table '" + store + "': no page of " + key + " read within " + timeout.toMillis()
                + " ms (the refresh stalled); the task's run fails and restarts", null, false, false);
    }
}
