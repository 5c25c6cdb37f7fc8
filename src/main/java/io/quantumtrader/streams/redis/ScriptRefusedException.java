package io.quantumtrader.streams.redis;

/**
 * A script that Redis refused before writing anything: one of its checks failed (a key holds another type, a stream's
 * entry ids are used up, an input's consumer group was destroyed) or the server is out of memory. It had no effect.
 * {@link #script()} names which of the engine's scripts was refused, and the message starts with it
 * ({@code "read refused: ..."}), so the log, the alert and the health details name the step that failed: before
 * (review of 2026-12-06) every refusal was a "commit refused", also a refused read or claim.
 * A transient rejection (out of memory) may succeed later; a persistent one (wrong key type, missing group) will fail
 * every time, so the task stops instead of retrying.
 */
public final class ScriptRefusedException extends RuntimeException {

    /** The engine's scripts that refuse with {@code REJECTED} (or Redis' {@code OOM}) before writing. */
    public enum Script {
        /** A task's commit ({@link CommitScript}, commit.lua). */
        COMMIT("commit"),
        /** A task's fenced read and its report of entries deleted unread ({@link FencedReadConnection}, read-group.lua). */
        READ("read"),
        /** A task's claim of pending entries when it restores ({@link StreamAdmin#claimPending}, claim-pending.lua). */
        CLAIM("claim"),
        /** The forward of a task's outbox to other slots on a Redis Cluster ({@link OutboxForwarder}). */
        FORWARD("forward"),
        /** {@link EventPublisher}'s append of a batch of events. */
        APPEND("append"),
        /** A task's consumer group made again when its task had committed entries of the stream (create-group.lua). */
        CREATE_GROUP("consumer group creation");

        private final String label;

        Script(String label) {
            this.label = label;
        }

        /** @return the lower-case name the messages use ({@code read}, {@code commit} ...) */
        public String label() {
            return label;
        }
    }

    private final Script script;
    private final boolean transientCondition;

    /**
     * @param script             the script Redis refused
     * @param cause              the cause, as the script or Redis reported it; the message is
     *                           {@code "<script> refused: <cause>"}
     * @param transientCondition true when a retry may succeed (out of memory)
     */
    public ScriptRefusedException(Script script, String cause, boolean transientCondition) {
        super(script.label() + " refused: " + cause);
        this.script = script;
        this.transientCondition = transientCondition;
    }

    /**
     * @param script  the script Redis refused
     * @param context what could not be done, ending in {@code ": "} (e.g. {@code "pending entries of <key> cannot be
     *                claimed: "}), or empty
     * @param reply   the script's {@code REJECTED} error reply (or an exception wrapping it)
     * @return a persistent refusal whose cause is {@code context} and the reply without its {@code REJECTED} code
     */
    static ScriptRefusedException rejected(Script script, String context, Throwable reply) {
        return new ScriptRefusedException(script, context + RedisErrors.rootMessage(reply).replaceFirst("^(ERR )?REJECTED ", ""),
                false);
    }

    /** @return the script Redis refused */
    public Script script() {
        return script;
    }

    /** @return true when a retry may succeed (out of memory), false when it will fail the same way */
    public boolean isTransient() {
        return transientCondition;
    }
}
