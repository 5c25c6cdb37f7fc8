package io.quantumtrader.streams.dsl.internals;

/**
 * An {@link OutOfMemoryError} raised while a task processed a batch or a punctuation, carried as a failure of the task's
 * run: the task restarts and reads cautiously (one entry first), as for any failed run. Reactor treats an
 * {@code OutOfMemoryError} as JVM-fatal and rethrows it to the scheduler, which only logs it, so the task's pipeline
 * never failed: it stayed RUNNING with its batch unacknowledged and processed nothing more, for good (found in review,
 * 2026-12-07: {@code OutOfMemoryInBatchTest}). Never retried nor dead-lettered: the record is not at fault.
 */
public final class RanOutOfMemory extends RuntimeException {

    /** @param error the error raised */
    public RanOutOfMemory(OutOfMemoryError error) {
        super("ran out of memory (" + error.getMessage() + ")", error, false, false);
    }
}
