package io.quantumtrader.streams.runtime;

import java.util.Optional;

/**
 * Says in words why a task failed, for the task's restart WARN and the failing tasks of {@link GroupState#failing()}
 * (the health's {@code group.failing}), where the engine otherwise quotes the messages of the failure and its causes:
 * Redis' own replies, e.g. {@code ERR DB index is out of range}. The application knows what the engine does not (which
 * setting chose the database, what to change) and can name the cause and what to do. Set with
 * {@link StreamsRuntime#withFailureDescription}.
 */
@FunctionalInterface
public interface FailureDescription {

    /** Describes nothing: the engine quotes the failure's messages. */
    FailureDescription NONE = failure -> Optional.empty();

    /**
     * Called on the task's thread as it fails; must not block or throw.
     *
     * @param failure what the task's run failed with, causes included
     * @return the cause and what to do, one line, or empty for the engine's own line (the messages of the failure and
     *         its causes)
     */
    Optional<String> describe(Throwable failure);
}
