package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one batch that failed, by input entry, so that a dead letter is written once per input entry and
 * failed record: the same record (the same {@link Record} object: a stage retries, and branches receive, the record
 * object they were given) failing again in another branch is not written twice, and different records failing on one
 * input entry (the final results of several windows one record closed, a flatMap's outputs) each are — even when they
 * are equal: until 2026-12-06 records were told apart by equal key and value, so of a flatMap's two equal outputs
 * that both failed only the first was dead-lettered and counted (found in review). Shared by the runtime
 * ({@link TaskContext}) and the test driver.
 */
public final class FailedRecords {

    private final Map<String, List<Record<?, ?>>> byEntry = new HashMap<>();

    /**
     * @param entry  the input entry's id (any string naming it uniquely in the batch)
     * @param record the record that failed
     * @return the failure's number for this entry (0 for the first record that failed on it), or -1 when the same record
     *         object failed on it before
     */
    public int add(String entry, Record<?, ?> record) {
        List<Record<?, ?>> failed = byEntry.computeIfAbsent(entry, k -> new ArrayList<>(1));
        for (Record<?, ?> f : failed) {
            if (f == record) {
                return -1;
            }
        }
        failed.add(record);
        return failed.size() - 1;
    }

    /** Forgets every failure (a new batch). */
    public void clear() {
        byEntry.clear();
    }
}
