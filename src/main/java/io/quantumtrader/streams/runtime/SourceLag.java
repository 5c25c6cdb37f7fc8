package io.quantumtrader.streams.runtime;

/**
 * How far one consumer group is behind on one partition of one source stream.
 *
 * @param group     consumer group {@code <application-id>.<sub-topology>}
 * @param stream    logical stream name
 * @param partition partition number
 * @param pending   entries delivered and not yet acknowledged
 * @param lag       entries not yet delivered
 * @param oldestPendingAgeMs how long the oldest pending entry has been in the stream, ms (0 when none)
 * @param consumers registered consumers of the group
 */
public record SourceLag(String group, String stream, int partition, long pending, long lag, long oldestPendingAgeMs,
                        long consumers) {
    /** @return true when everything was read and acknowledged */
    public boolean caughtUp() {
        return pending == 0 && lag == 0;
    }
}
