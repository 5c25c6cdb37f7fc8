package io.quantumtrader.streams.redis;

/** A pipelined commit whose predecessor did not happen: the task must restart from what Redis holds. */
public class CommitSequenceException extends RuntimeException {

    /** @param message Redis' refusal ({@code OUT_OF_SEQUENCE ...}, commit.lua) */
    public CommitSequenceException(String message) {
        super(message);
    }

    /**
     * A refusal whose predecessor is known to have failed: the message names that failure first (it is the cause the
     * task restarts for; the refusal is its consequence).
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
