package io.quantumtrader.streams.redis;

/** A pipelined commit whose predecessor did not happen: the task must restart from what Redis holds. */
public class CommitSequenceException extends RuntimeException {

    /** @param message Redis' refusal ({@code OUT_OF_SEQUENCE ...}, commit.lua) */
    public CommitSequenceException(String message) {
        super(message);
    }

    /**
     * A refusal whose predecessor is known to have failed: the message says so, and that failure is its cause (the one
     * the task restarts for; the refusal is its consequence), so a log line of its causes' messages names it next.
     *
     * @param predecessorFailure what the commit before this one failed with
     * @param refusal            Redis' refusal of this one, kept as a suppressed exception
     */
    public CommitSequenceException(Throwable predecessorFailure, CommitSequenceException refusal) {
        super("the commit before this one failed, so Redis refused this one out of sequence (it wrote nothing)",
                predecessorFailure);
        addSuppressed(refusal);
    }
}
