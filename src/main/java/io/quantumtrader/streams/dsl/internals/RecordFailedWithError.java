package io.quantumtrader.streams.dsl.internals;

/**
 * A user function's {@link AssertionError} or {@link StackOverflowError} on one record, carried as the record's failure:
 * retried, then dead-lettered (the dead letter names the error itself, {@code error.class}), as an exception is. Found in
 * review (2026-12-07): only a {@code RuntimeException} failed the record; such an error failed the task, which restarted,
 * read the same record again and failed again, for ever (the partition stuck behind one record). Other errors (out of
 * memory, a class that cannot be loaded) are not the record's doing and still fail the task.
 */
public final class RecordFailedWithError extends RuntimeException {

    /** @param error what the function threw */
    public RecordFailedWithError(Error error) {
        super(error.toString(), error, false, false);
    }

    /** @return the error, to name in the dead letter */
    public Error error() {
        return (Error) getCause();
    }
}
