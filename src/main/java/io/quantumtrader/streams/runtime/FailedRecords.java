package io.quantumtrader.streams.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one batch that failed, by input entry, so that a dead letter is written once per input entry and
 * failed record: the same record failing again in another branch is not written twice, and different records failing
 * on one input entry (the final results of several windows one record closed, a flatMap's outputs) each are. Shared
 * by the runtime ({@link TaskContext}) and the test driver.
 */
public final class FailedRecords {

    private record Failed(Object key, Object value) {
    }

    private final Map<String, List<Failed>> byEntry = new HashMap<>();

    /**
     * @param entry the input entry's id (any string naming it uniquely in the batch)
     * @return the failure's number for this entry (0 for the first record that failed on it), or -1 when the same record
     *         (equal key and value) failed on it before
     */
    public int add(String entry, Object key, Object value) {
        List<Failed> failed = byEntry.computeIfAbsent(entry, k -> new ArrayList<>(1));
        Failed f = new Failed(key, value);
        if (failed.contains(f)) {
            return -1;
        }
        failed.add(f);
        return failed.size() - 1;
    }

    /** Forgets every failure (a new batch). */
    public void clear() {
        byEntry.clear();
    }
}
