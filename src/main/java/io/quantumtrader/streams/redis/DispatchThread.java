package io.quantumtrader.streams.redis;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.function.Supplier;

/**
 * The one thread that hands a dedicated Lettuce connection its commands ({@link FencedReadConnection},
 * {@link CommitConnection}, {@link ClusterCommitConnection}), whatever thread subscribes.
 *
 * <p>Why: Lettuce writes a command at once when it is dispatched on the connection's own Netty I/O thread (the
 * continuation of a reply that completed there), but from any other thread it queues the write as a task of that I/O
 * thread. So a command dispatched on the I/O thread overtook commands dispatched just before it elsewhere whose writes
 * were still queued: a commit went out before the commit the task had pipelined ahead of it
 * ({@code CommitConnectionOrderTest}), and a fenced read wrote inside another read's {@code MULTI … EXEC} — the
 * other read's {@code EXEC} failed with "EXEC without MULTI" and this read's reply did not parse (2 of 30 README
 * replays on 2026-12-03 restarted two tasks this way; {@code FencedReadTest}). From one thread that is never an I/O
 * thread, commands are queued in the order they were sent, and a read's five commands stay together. Which I/O thread
 * serves a connection is Lettuce's business, so every command goes through here. The cost is one thread hand-off per
 * dispatch (a read or a commit carries up to a batch of entries).
 */
final class DispatchThread implements AutoCloseable {

    private final Scheduler thread;

    /** @param name the thread's name (daemon), e.g. {@code qt-commit} */
    DispatchThread(String name) {
        this.thread = Schedulers.newSingle(name, true);
    }

    /**
     * @param dispatch creates the Mono whose subscription dispatches the commands (e.g. a {@code Mono.defer} of Lettuce
     *                 async calls)
     * @return {@code dispatch}'s Mono, subscribed on this thread; its signals arrive where the replies complete
     */
    <T> Mono<T> send(Supplier<Mono<T>> dispatch) {
        return Mono.defer(dispatch).subscribeOn(thread);
    }

    /** @return the thread as a Reactor scheduler, e.g. for timers whose actions must stay in order with its dispatches */
    Scheduler scheduler() {
        return thread;
    }

    /** Stops the thread; a later {@link #send} fails with Reactor's {@code RejectedExecutionException}. */
    @Override
    public void close() {
        thread.dispose();
    }
}
