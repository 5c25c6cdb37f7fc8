package io.quantumtrader.streams.redis;

/** The task's lease is held by a newer fencing token: this instance no longer owns the task and must not commit. */
public class TaskFencedException extends RuntimeException {
    public TaskFencedException(String message) {
        super(message);
    }
}
