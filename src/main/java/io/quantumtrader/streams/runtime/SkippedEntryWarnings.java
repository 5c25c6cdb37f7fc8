package io.quantumtrader.streams.runtime;

import org.slf4j.Logger;

import java.util.Map;
import java.util.TreeMap;

/**
 * The WARN lines of a global table's replica for the entries it skips, limited per read: the first
 * {@value #SHOWN_PER_READ} skips of a read are logged one by one, the rest in one line at the read's end with their
 * number per reason. Every task reads its global tables' streams whole at its start, and a bad entry stays in the
 * stream (the kill-switch stream is never trimmed), so one WARN per skipped entry filled the log at every start (review
 * 2026-12-06). Only the log is limited: the replica tells its listener of every skip
 * ({@code qt.streams.global.entries.skipped} counts each). Confined to its replica's task (not thread-safe).
 */
final class SkippedEntryWarnings {

    /** Skips logged one by one per read. */
    static final int SHOWN_PER_READ = 3;

    private final Logger log;
    private final String store;
    private final String stream;
    private int shown;
    private final Map<String, Long> unshown = new TreeMap<>();

    /**
     * @param log    the logger to write to (the replica's)
     * @param store  the global table
     * @param stream its stream
     */
    SkippedEntryWarnings(Logger log, String store, String stream) {
        this.log = log;
        this.store = store;
        this.stream = stream;
    }

    /**
     * Logs one skipped entry, or counts it for the read's last line once {@value #SHOWN_PER_READ} were logged.
     *
     * @param reason the skip's reason (the meter tag)
     * @param what   why, for a person, e.g. {@code a source would refuse it (wrong_type): <message>}
     */
    void skipped(String reason, String what) {
        if (shown < SHOWN_PER_READ) {
            shown++;
            log.warn("global table '{}': skipping an entry of '{}': {}{}", store, stream, what,
                    shown == SHOWN_PER_READ ? " (further skips of this read are counted in one line at its end)" : "");
        } else {
            unshown.merge(reason, 1L, Long::sum);
        }
    }

    /** Ends a read: logs the number of skips not logged one by one, per reason, if any; the next read starts afresh. */
    void endOfRead() {
        if (!unshown.isEmpty()) {
            long total = unshown.values().stream().mapToLong(Long::longValue).sum();
            log.warn("global table '{}': skipped {} more {} of '{}' in this read {} (all counted in "
                    + "qt.streams.global.entries.skipped)", store, total, total == 1 ? "entry" : "entries", stream, unshown);
        }
        shown = 0;
        unshown.clear();
    }
}
