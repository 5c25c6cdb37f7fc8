package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.TaskFencedException;
import org.slf4j.Logger;
import reactor.util.context.Context;

import java.util.function.Consumer;

/**
 * Where the errors of a stopped task go. Stopping a task cancels its pipeline; a reply already on its way (a fenced
 * read's {@code FENCED}, a commit's error) can still reach an operator that was cancelled a moment before — Reactive
 * Streams allows the race — and Reactor then hands the error to its "dropped" hook, whose default logs it at ERROR
 * ("Operator called default onErrorDropped") although nothing is wrong. Put on a task's subscription, this context
 * logs such late errors as what they are: a {@link TaskFencedException} at DEBUG (the task stopped because its lease
 * was going or gone), anything else at WARN, one line each. Errors of a task that is still running are not affected:
 * they reach its subscriber as before.
 */
public final class LateErrors {

    /**
     * The context key Reactor's {@code Operators.onErrorDropped(Throwable, Context)} reads before the global
     * {@code Hooks.onErrorDropped} (reactor-core pull request #830, "Add local error consumer hooks"; the constant,
     * {@code Hooks.KEY_ON_ERROR_DROPPED}, is package-private).
     */
    static final String REACTOR_LOCAL_ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

    private LateErrors() {
    }

    /**
     * @param owner what stopped (e.g. {@code "task 0_1"}), for the log line
     * @param log   where the line goes
     * @return a context for the subscription of {@code owner}'s pipeline
     */
    public static Context context(String owner, Logger log) {
        Consumer<Throwable> onDropped = error -> {
            if (error instanceof TaskFencedException) {
                log.debug("{}: a reply arrived after it stopped and was ignored: {}", owner, error.getMessage());
            } else {
                log.warn("{}: an error arrived after it stopped and was ignored: {}", owner, error.toString());
            }
        };
        return Context.of(REACTOR_LOCAL_ON_ERROR_DROPPED, onDropped);
    }

    /**
     * @param owner what gave up on its commands (e.g. {@code "background job lag refresh"}), for the log line
     * @param log   where the line goes
     * @return a context for a subscription that gives up on commands by a timeout of its own and has counted that
     *         already ({@link PeriodicJob}; a fenced read whose reader timed out, {@code FencedReadConnection}): their
     *         errors arriving later (the connection closed at shutdown, Redis back
     *         after a pause) are logged at DEBUG. Found in review (2026-12-07): a lag refresh that timed out during a
     *         pause left commands in flight, and the connection closed after the runtime had stopped logged one
     *         Reactor ERROR with a stack trace for each ({@code ShutdownDuringPauseTest}, 1 run in 2 under load)
     */
    public static Context afterTimeout(String owner, Logger log) {
        Consumer<Throwable> onDropped = error -> log.debug("{}: an error arrived after it gave up and was ignored: {}",
                owner, error.toString());
        return Context.of(REACTOR_LOCAL_ON_ERROR_DROPPED, onDropped);
    }
}
