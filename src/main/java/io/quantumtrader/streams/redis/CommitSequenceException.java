package io.quantumtrader.streams.redis;

/** A pipelined commit whose predecessor did not happen: the task must restart from what Redis holds. */
public class CommitSequenceException extends RuntimeException {
    public CommitSequenceException(String message) {
        super(message);
    }
}
