package io.quantumtrader.streams.redis;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a task's outbox forwards one at a time and coalesces requests: a request made while a forward runs is served
 * by the next forward, which starts when the current one ends and reads the whole outbox, so it covers every commit
 * made before the request. Commits thus do not wait for their forward, and bursts of commits share one, unless the
 * forwards lag ({@link #lagging}): a task then waits for the forward of a commit before the commit counts as done.
 */
public final class ForwardScheduler {

    private final Supplier<Mono<?>> forward;
    private boolean running;
    private List<Sinks.Empty<Void>> current = new ArrayList<>();
    private List<Sinks.Empty<Void>> next = new ArrayList<>();

    /** @param forward one forward of the whole outbox, e.g. {@code () -> forwarder.forward(outboxKey)} */
    public ForwardScheduler(Supplier<Mono<?>> forward) {
        this.forward = forward;
    }

    /** Outbox entries committed since the running forward started (the next forward's), for {@link #lagging}. */
    private long waiting;

    /**
     * @param entries the outbox entries of a commit about to ask for a forward
     * @param limit   how many outbox entries may wait for a forward (behind the one that runs) before commits wait
     * @return whether the forwards lag: one runs and the entries committed since it started, with these, are more than
     *         {@code limit} (a slow target slot): the commit should wait for its forward (backpressure)
     */
    public synchronized boolean lagging(long entries, long limit) {
        return running && waiting + entries > limit;
    }

    /**
     * As {@link #request()}, counting {@code entries} outbox entries as waiting for the next forward ({@link #lagging}).
     */
    public Mono<Void> request(long entries) {
        return Mono.defer(() -> {
            synchronized (this) {
                if (running) {
                    waiting += entries;
                }
            }
            return request();
        });
    }

    /**
     * @return completes when a forward that started after this call has completed (so everything committed before
     *         the call is in its target streams); errors with that forward's error
     */
    public Mono<Void> request() {
        return Mono.defer(() -> {
            Sinks.Empty<Void> done = Sinks.empty();
            boolean start;
            synchronized (this) {
                if (running) {
                    next.add(done);
                    start = false;
                } else {
                    running = true;
                    current.add(done);
                    start = true;
                }
            }
            if (start) {
                run();
            }
            return done.asMono();
        });
    }

    private void run() {
        Mono.defer(forward).subscribe(ignored -> {
        }, this::finish, () -> finish(null));
    }

    private void finish(Throwable error) {
        List<Sinks.Empty<Void>> finished;
        boolean again;
        synchronized (this) {
            finished = current;
            current = next;
            next = new ArrayList<>();
            waiting = 0;   // the next forward takes them
            again = !current.isEmpty();
            running = again;
        }
        for (Sinks.Empty<Void> s : finished) {
            if (error == null) {
                s.tryEmitEmpty();
            } else {
                s.tryEmitError(error);
            }
        }
        if (again) {
            run();
        }
    }
}
