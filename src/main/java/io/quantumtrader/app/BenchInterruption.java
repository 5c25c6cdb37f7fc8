package io.quantumtrader.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deletes a {@code bench} run's keys when it is stopped by a signal (Ctrl-C, {@code kill <pid>}, a pod's SIGTERM).
 * Found in review (2026-12-07): the keys were deleted only when the run ended by itself; a stopped run left its
 * namespaces (millions of stream entries on the defaults) in REDIS_URL's Redis. A JVM runs its shutdown hooks while the
 * benchmark's own thread goes on publishing, so the hook interrupts that thread, whose {@code finally} deletes the keys
 * as at a normal end (after the run's runtime is closed: nothing writes any more), and waits for it, at most
 * {@link #CLEANUP_WAIT_MS}. Registered as a shutdown hook while the run writes; {@link #close()} removes it.
 */
final class BenchInterruption implements AutoCloseable {

    /** How long the hook waits for the run's thread to delete its keys: 30,000 ms (a pod's grace period is 30 s). */
    static final long CLEANUP_WAIT_MS = 30_000;

    private final Thread hook;
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    /**
     * RUNNING until the run's cleanup begins (CLEANING) or the hook stops it (INTERRUPTED): one compare-and-set decides,
     * so the hook never interrupts a cleanup already under way (found in review of this class, 2026-12-07: a SIGTERM
     * during a normal end's deletion interrupted it, and the keys stayed: BenchSigtermDuringCleanupTest).
     */
    private final java.util.concurrent.atomic.AtomicReference<String> state = new java.util.concurrent.atomic.AtomicReference<>("RUNNING");

    private BenchInterruption(Thread run) {
        this.hook = new Thread(() -> {
            if (state.compareAndSet("RUNNING", "INTERRUPTED")) {
                run.interrupt();
            }
            try {
                cleanedUp.await(CLEANUP_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-interrupted");
    }

    /**
     * @param run the thread that runs the benchmark and deletes its keys in a {@code finally} ({@link #cleanupDone()})
     * @return the registered hook
     */
    static BenchInterruption register(Thread run) {
        BenchInterruption interruption = new BenchInterruption(run);
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    /**
     * @return whether a signal stopped the run; clears the run thread's interrupt (called on it, before its cleanup,
     *         whose Redis calls an interrupt would fail at once)
     */
    boolean interruptedForCleanup() {
        boolean interrupted = !state.compareAndSet("RUNNING", "CLEANING");
        if (interrupted) {
            // the hook interrupts this thread after its compare-and-set: wait for that interrupt, then clear it
            while (!Thread.currentThread().isInterrupted() && hook.isAlive()) {
                Thread.onSpinWait();
            }
        }
        Thread.interrupted();
        return interrupted;
    }

    /** The run's keys are deleted (or said to be left): the hook may let the JVM exit. */
    void cleanupDone() {
        cleanedUp.countDown();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }
}
