package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.TaskFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The tasks this instance owns, and their leases (Kafka Streams' {@code TaskManager}). For each task it is told to
 * own ({@link #apply}) it takes the lease ({@code SET NX PX}, new fencing token), runs the task and renews the lease
 * every TTL/3 ({@link #renewLeases()}); a task it must give up is handed over cooperatively: it stops reading,
 * commits the batches in flight, then releases the lease. A lease found taken by another token (fenced) or not
 * renewed within 4/5 of its TTL stops its task at once ({@link TaskState#REVOKED}; nothing more can be committed
 * under the old token). A task that fails is restarted from its last commit with backoff while it stays assigned.
 */
final class TaskManager {

    private static final Logger log = LoggerFactory.getLogger(TaskManager.class);

    /** Why a task stopped on this instance (tag {@code reason} of {@code qt.streams.tasks.revoked}). */
    static final String REBALANCE = "rebalance";
    static final String FENCED = "fenced";
    static final String LEASE_EXPIRING = "lease.expiring";

    private final Map<TaskId, StreamTask> tasks = new LinkedHashMap<>();
    private final Map<TaskId, Ownership> ownerships = new ConcurrentHashMap<>();
    /** Tasks stopped for good (a failure that retrying would repeat): never started again by this manager. */
    private final java.util.Set<TaskId> stoppedForGood = ConcurrentHashMap.newKeySet();
    private final StreamAdmin admin;
    private final String instanceId;
    private final Duration ttl;
    private final RuntimeCounters counters;
    private final BooleanSupplier running;
    private final Function<Throwable, String> describe;
    private final BiConsumer<StreamTask, Throwable> onFatal;
    private final Map<String, LongAdder> revocations = new ConcurrentHashMap<>();
    final LongAdder leaseRenewals = new LongAdder();
    final LongAdder leaseRenewalFailures = new LongAdder();
    private volatile boolean closing;
    /** Set by {@link #killAll()}: nothing of this manager may talk to Redis any more, nor report failing to. */
    private volatile boolean killed;

    /**
     * @param running  whether the runtime still wants tasks to run (a failed task is restarted only then)
     * @param describe a failure in one line, for the restart WARN, the lease release WARN and
     *                 {@link StreamTask#failingWith()}
     * @param onFatal called when a task fails with an error a restart cannot fix
     */
    TaskManager(Collection<StreamTask> tasks, StreamAdmin admin, String instanceId, Duration ttl, RuntimeCounters counters,
                Function<Throwable, String> describe, BooleanSupplier running, BiConsumer<StreamTask, Throwable> onFatal) {
        tasks.forEach(t -> this.tasks.put(t.taskId(), t));
        this.admin = admin;
        this.instanceId = instanceId;
        this.ttl = ttl;
        this.counters = counters;
        this.running = running;
        this.describe = describe;
        this.onFatal = onFatal;
        for (String reason : List.of(REBALANCE, FENCED, LEASE_EXPIRING)) {
            revocations.put(reason, new LongAdder());
        }
    }

    /** @return every task of the topology, in task id order */
    Collection<StreamTask> tasks() {
        return tasks.values();
    }

    /** @return the tasks whose lease this instance holds now (restoring or running) */
    Set<TaskId> ownedTasks() {
        Set<TaskId> owned = new TreeSet<>();
        tasks.forEach((id, t) -> {
            if (t.state().owned()) {
                owned.add(id);
            }
        });
        return owned;
    }

    /** @return tasks this instance is taking, running or handing over (a lease attempt or run in progress) */
    Set<TaskId> activeTasks() {
        return new TreeSet<>(ownerships.keySet());
    }

    /** @return how often tasks stopped here for {@code reason} ({@link #REBALANCE}, {@link #FENCED}, {@link #LEASE_EXPIRING}) */
    long revocations(String reason) {
        LongAdder a = revocations.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** @return the reasons counted by {@link #revocations(String)} */
    Set<String> revocationReasons() {
        return revocations.keySet();
    }

    /**
     * Makes this instance work on exactly {@code target}: starts the tasks it does not run yet (each takes its lease
     * when free; one still held elsewhere is tried again at the next call) and hands over the others.
     */
    synchronized void apply(Set<TaskId> target) {
        if (closing) {
            return;
        }
        for (Map.Entry<TaskId, Ownership> e : new ArrayList<>(ownerships.entrySet())) {
            if (!target.contains(e.getKey()) && e.getValue().wanted) {
                handOver(e.getValue(), false);
            }
        }
        for (TaskId id : target) {
            StreamTask task = tasks.get(id);
            if (task != null && !ownerships.containsKey(id) && !stoppedForGood.contains(id) && running.getAsBoolean()) {
                start(task);
            }
        }
    }

    /** Graceful stop of every task (batches in flight committed, leases released); see {@link #idle()}. */
    synchronized void closeAll() {
        closing = true;
        ownerships.values().forEach(o -> handOver(o, true));
    }

    /**
     * Cancels the renewals still waiting for their reply: once every task was handed over or killed, none is needed,
     * and one answered after the runtime closed (its connection destroyed) logged WARN and ERROR lines after
     * {@code close()} had returned (found in review, 2026-12-07).
     */
    void stopRenewals() {
        renewalsStopped = true;
        renewalsStop.tryEmitValue(Boolean.TRUE);
    }

    /** @return true when no task is being taken, run or handed over */
    boolean idle() {
        return ownerships.isEmpty();
    }

    /** Stops every task at once, commits nothing, releases nothing (a crash, or a shutdown that ran out of time). */
    synchronized void killAll() {
        closing = true;
        killed = true;
        stopRenewals();
        for (Ownership o : new ArrayList<>(ownerships.values())) {
            o.end();
            Disposable d = o.subscription;
            if (d != null) {
                d.dispose();
            }
            ownerships.remove(o.task.taskId(), o);
        }
    }

    /**
     * Sends a renewal of every lease held (compare-and-renew on the token) and returns without waiting for the
     * replies, so the renewal cadence does not depend on Redis' latency; each renewal waits up to half the TTL for its
     * reply. A lease found held by another token revokes its task at once; a renewal that fails (Redis slow or down)
     * is counted, and the task's watchdog stops it before the TTL ends if no renewal succeeds.
     */
    Mono<Void> renewLeases() {
        return Mono.defer(() -> {
            int failed = renewalsFailedSinceLastPass.getAndSet(0);
            new ArrayList<>(ownerships.values()).stream()
                    .filter(o -> o.token != null && !o.releasing)
                    .forEach(this::renew);
            // the renewals of the passes before that failed: the job counts and logs the pass as failed (until
            // 2026-12-07 a pass always succeeded, and qt.streams.job.failures{background.job=lease.renewal} stayed 0
            // through an outage that revoked every task; found in review)
            return failed == 0 ? Mono.<Void>empty()
                    : Mono.error(new IllegalStateException(failed + " lease renewal(s) failed since the last pass"));
        });
    }

    /** Renewals that failed or timed out since the last {@link #renewLeases} pass. */
    private final java.util.concurrent.atomic.AtomicInteger renewalsFailedSinceLastPass = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Cancels the renewals waiting for their reply ({@link #stopRenewals}: once every task was handed over, or at
     * {@link #killAll}); after it, a renewal's failure is not reported.
     */
    private final reactor.core.publisher.Sinks.One<Boolean> renewalsStop = reactor.core.publisher.Sinks.one();
    private volatile boolean renewalsStopped;

    /** @return how long a renewal waits for its reply: half the TTL, and each attempt at most the admin's timeout */
    private Duration renewalWait() {
        Duration half = ttl.dividedBy(2);
        return half.compareTo(StreamAdmin.ATTEMPT_TIMEOUT) < 0 ? half : StreamAdmin.ATTEMPT_TIMEOUT;
    }

    private void renew(Ownership o) {
        String token = o.token;
        long sent = System.nanoTime();
        admin.renewLease(o.task.leaseKey(), o.task.ownerKey(), token, ttl)
                .timeout(ttl.dividedBy(2))
                .takeUntilOther(renewalsStop.asMono())
                .subscribe(renewed -> {
                    if (!token.equals(o.token) || o.releasing) {
                        return; // restarted under a new token or released meanwhile: not about this one
                    }
                    if (renewed) {
                        leaseRenewals.increment();
                        if (o.renewalFailures > 0) {
                            log.info("task {}: lease renewed again after {} failed attempt(s)", o.task.id(), o.renewalFailures);
                            o.renewalFailures = 0;
                        }
                        o.renewed(sent);
                    } else {
                        leaseRenewalFailures.increment();
                        revokeNow(o, FENCED, "its lease is held by another instance now");
                    }
                }, e -> {
                    if (renewalsStopped) {
                        return;   // every task stopped: a renewal cut short then is no failure to report
                    }
                    leaseRenewalFailures.increment();
                    renewalsFailedSinceLastPass.incrementAndGet();
                    String why = e instanceof java.util.concurrent.TimeoutException
                            ? "no answer within " + renewalWait().toMillis() + " ms" : e.toString();
                    if (o.renewalFailures++ == 0) {
                        log.warn("task {}: renewing the lease failed ({}); retrying, the task stops if no renewal succeeds within {} ms",
                                o.task.id(), why, ttl.toMillis() * 4 / 5);
                    } else {
                        log.debug("task {}: renewing the lease failed again: {}", o.task.id(), why);
                    }
                });
    }

    /**
     * Safety net for entries left pending with a consumer other than the owner (e.g. read by an instance just before
     * it was fenced): a running task that has any pending longer than {@code minIdle} restarts, which claims them
     * (XAUTOCLAIM) and processes them before anything newer.
     */
    Mono<Void> claimOrphanedPending(Duration minIdle) {
        List<Ownership> checked = new ArrayList<>();
        for (Ownership o : ownerships.values()) {
            if (o.wanted && o.task.state() == TaskState.RUNNING) {
                checked.add(o);
            }
        }
        // a task whose check fails (its Redis Cluster node down) does not stop the others' (ResilientPass)
        return ResilientPass.over("check for orphaned pending entries", "tasks", checked, o -> o.task.id(), o -> {
            String token = o.token;
            return Flux.fromIterable(o.task.sourceKeys())
                    .concatMap(key -> admin.orphanedPending(key, o.task.group(), instanceId, minIdle))
                    .reduce(0L, Long::sum)
                    // only the run that was checked: a newer one (restarted, or taken again after a hand-over)
                    // claimed at its start, and stopping it made a spurious hand-over (found in review, 2026-12-05)
                    .filter(n -> n > 0 && token != null && token.equals(o.token) && ownerships.get(o.task.taskId()) == o
                            && o.wanted && o.task.state() == TaskState.RUNNING)
                    .doOnNext(n -> {
                        log.warn("task {}: {} entries pending longer than {} ms with another consumer; restarting the task to claim them",
                                o.task.id(), n, minIdle.toMillis());
                        o.restartRequested = true;
                        o.task.stop();
                    })
                    .defaultIfEmpty(0L);
        }).then();
    }

    private void start(StreamTask task) {
        Ownership o = new Ownership(task);
        ownerships.put(task.taskId(), o);
        Mono<Void> period = Mono.defer(() -> {
            task.resetStop();
            if (!o.wanted) {
                return Mono.empty();
            }
            long sent = System.nanoTime();
            return admin.acquireLease(task.leaseKey(), task.fenceKey(), task.ownerKey(), instanceId, ttl)
                    .switchIfEmpty(Mono.fromRunnable(() -> o.token = null))
                    .flatMap(token -> {
                        o.leased(token, sent);
                        log.info("task {}: took the lease (token {})", task.id(), token);
                        return task.run(token);
                    });
        });
        RestartBackoff backoff = new RestartBackoff(task::processed);
        Mono<Void> ownership = period
                .retryWhen(Retry.from(failures -> failures.concatMap(sig -> {
                    Throwable e = sig.failure();
                    if (!(restartable(e) && o.wanted && running.getAsBoolean())) {
                        return Mono.error(e);
                    }
                    // not RUNNING while it waits to restart: what the failed run left (an outbox not yet forwarded,
                    // entries read and not committed) is not done, so the runtime is not drained
                    task.state(TaskState.RESTORING, null);
                    Duration delay = backoff.next();
                    counters.restarts.increment();
                    String why = describe.apply(e);
                    task.failed(e, why);
                    log.warn("task {} failed, restarting from its last commit in {} ms: {}", task.id(), delay.toMillis(), why);
                    log.debug("task {} failure", task.id(), e);
                    return Mono.delay(delay);
                })))
                .repeat(() -> {
                    boolean again = o.restartRequested && o.wanted;
                    o.restartRequested = false;
                    return again;
                })
                .then(Mono.defer(() -> endGracefully(o)));
        o.subscription = ownership.subscribe(null, error -> failed(o, error), () -> ownerships.remove(task.taskId(), o),
                LateErrors.context("task " + task.id(), log)); // a reply racing the stop is not an ERROR
    }

    /** After a graceful end: the batches in flight are committed; say so, then let the next owner in. */
    private Mono<Void> endGracefully(Ownership o) {
        StreamTask task = o.task;
        String token = o.token;
        if (token == null) {
            if (task.state().owned()) {
                revoked(o, FENCED, "its lease is held by another instance now");
            }
            o.end();
            return Mono.empty();
        }
        if (o.closing) {
            task.state(TaskState.CLOSED, null);
        } else {
            revoked(o, REBALANCE, "handed over (batches in flight committed)");
        }
        return release(o, token);
    }

    /**
     * Lets the next owner in at once instead of after the TTL. A commit of this ownership that reaches Redis after the
     * release is refused: the next owner holds another token.
     */
    private Mono<Void> release(Ownership o, String token) {
        StreamTask task = o.task;
        o.releasing = true;
        o.end();
        return admin.releaseLease(task.leaseKey(), task.ownerKey(), token)
                .timeout(ttl)
                .doOnNext(released -> log.info("task {}: {} the lease (token {})", task.id(),
                        released ? "released" : "had already lost", token))
                .onErrorResume(e -> {
                    if (killed) {   // the runtime gave up on its tasks meanwhile (killAll): the connection went with it
                        log.debug("task {}: releasing the lease ended with the runtime: {}", task.id(), describe.apply(e));
                        return Mono.empty();
                    }
                    log.warn("task {}: releasing the lease failed, it expires within {} ms: {}", task.id(), ttl.toMillis(), describe.apply(e));
                    return Mono.empty();
                })
                .then();
    }

    private void failed(Ownership o, Throwable error) {
        StreamTask task = o.task;
        boolean forGood = !(error instanceof TaskFencedException) && o.wanted && running.getAsBoolean();
        if (forGood) {
            task.failed(error, describe.apply(error));
            stoppedForGood.add(task.taskId());   // before the ownership goes: a rebalance in between would start it again
        }
        o.end();
        String token = o.token;
        boolean release = !forGood && token != null && !(error instanceof TaskFencedException);
        if (!release) {
            ownerships.remove(task.taskId(), o);
        }
        if (error instanceof TaskFencedException) {
            revoked(o, FENCED, error.getMessage());
        } else if (!forGood) {
            // failed while being handed over or shut down: what it had read stays pending for the next owner
            if (o.closing) {
                task.state(TaskState.CLOSED, null);
            } else {
                revoked(o, REBALANCE, "handed over after a failure: " + error);
            }
            if (release) {
                // without it the task stayed unowned until the lease expired (found in review, 2026-12-05); a shutdown
                // waits for it (idle()). Its errors are logged: the lease expires instead
                // kept as the ownership's subscription: killAll() (a crash) disposes it, and releases nothing
                // under the manager's lock: a failure racing killAll() (a close that ran out of time) started its
                // release after killAll() had disposed every subscription, so it ran on and logged "releasing the
                // lease failed: Connection closed" after close() had returned (ShutdownDuringPauseTest, 2026-12-07)
                synchronized (this) {
                    if (killed) {
                        ownerships.remove(task.taskId(), o);
                    } else {
                        o.subscription = release(o, token).doFinally(signal -> ownerships.remove(task.taskId(), o)).subscribe();
                    }
                }
            }
        } else {
            task.state(TaskState.ERROR, null);
            log.error("task {} stopped: {}", task.id(), error.toString(), error);
            onFatal.accept(task, error);
        }
    }

    /** Graceful hand-over: stop reading, commit what is in flight, release (see {@link #endGracefully}). */
    private void handOver(Ownership o, boolean shutdown) {
        o.wanted = false;
        o.closing |= shutdown;
        o.task.stop();
    }

    private synchronized void revokeNow(Ownership o, String reason, String why) {
        if (ownerships.get(o.task.taskId()) != o) {
            return;
        }
        o.wanted = false;
        o.end();
        ownerships.remove(o.task.taskId(), o);
        revoked(o, reason, why);
        Disposable d = o.subscription;
        if (d != null) {
            d.dispose();
        }
    }

    private void revoked(Ownership o, String reason, String why) {
        o.task.state(TaskState.REVOKED, reason);
        revocations.get(reason).increment();
        if (REBALANCE.equals(reason)) {
            log.info("task {} revoked: {}", o.task.id(), why);
        } else {
            log.warn("task {} revoked ({}): {}; it stopped without committing anything more", o.task.id(), reason, why);
        }
    }

    /**
     * @return false for failures a restart cannot fix: the task was fenced, a script of it (commit, read, claim) is refused for good, a state
     *         store value cannot be written or read back, or a processor forwarded where nothing commits the record
     *         (its code does so on every run)
     */
    static boolean restartable(Throwable e) {
        return !(e instanceof TaskFencedException)
                && !(e instanceof io.quantumtrader.streams.processor.ForwardOutsideProcessingException)
                && !(e instanceof io.quantumtrader.streams.redis.ScriptRefusedException r && !r.isTransient())
                && !(e instanceof io.quantumtrader.streams.state.StateStoreException);
    }

    /** One period in which this instance wants a task: lease attempts, runs, restarts, hand-over. */
    private final class Ownership {
        final StreamTask task;
        volatile boolean wanted = true;
        volatile boolean closing;
        volatile boolean restartRequested;
        volatile boolean releasing;
        volatile String token;
        volatile long renewedAt;
        volatile int renewalFailures;
        volatile Disposable subscription;
        volatile Disposable watchdog;

        Ownership(StreamTask task) {
            this.task = task;
        }

        void leased(String newToken, long sentNanos) {
            token = newToken;
            renewed(sentNanos);
        }

        /** A renewal sent at {@code sentNanos} succeeded: the lease lives at least until then + TTL. */
        void renewed(long sentNanos) {
            if (sentNanos - renewedAt <= 0 && renewedAt != 0) {
                return;
            }
            renewedAt = sentNanos;
            Disposable previous = watchdog;
            if (previous != null) {
                previous.dispose();
            }
            long deadline = sentNanos + ttl.toNanos() * 4 / 5 - System.nanoTime();
            watchdog = Schedulers.parallel().schedule(() -> {
                if (renewedAt == sentNanos && !releasing) {
                    revokeNow(this, LEASE_EXPIRING, "the lease could not be renewed for " + ttl.toMillis() * 4 / 5
                            + " ms (Redis slow or unreachable); stopping before it expires");
                }
            }, Math.max(0, deadline), TimeUnit.NANOSECONDS);
        }

        void end() {
            Disposable w = watchdog;
            if (w != null) {
                w.dispose();
            }
        }
    }
}
