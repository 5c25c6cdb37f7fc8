package io.quantumtrader.streams.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A background job that never dies: runs {@code job}, waits {@code interval} after the run ended, runs it again, for
 * as long as it is subscribed. Unlike {@code Flux.interval(...).concatMap(...)}, a slow run cannot overflow anything
 * (the next run is scheduled only when the previous one ended), a run longer than {@code timeout} is cancelled, and an
 * error (Redis down, slow, a bug) is logged, counted and followed by the next run. The first failure of a streak is
 * logged at WARN, the following ones at DEBUG, and the recovery at INFO, so an outage does not flood the log.
 */
public final class PeriodicJob {

    private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

    private final String name;
    private final Duration interval;
    private final Duration timeout;
    private final Supplier<? extends Mono<?>> job;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private volatile long failureStreak;

    /**
     * @param name     what the job does, for logs and the {@code background.job} tag of {@code qt.streams.job.failures}
     * @param interval delay between the end of one run and the start of the next
     * @param timeout  a run taking longer is cancelled and counted as a failure
     * @param job      one run; subscribed anew each time
     */
    public PeriodicJob(String name, Duration interval, Duration timeout, Supplier<? extends Mono<?>> job) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = requirePositive(interval, "interval");
        this.timeout = requirePositive(timeout, "timeout");
        this.job = Objects.requireNonNull(job, "job");
    }

    /**
     * @param initialDelay delay before the first run
     * @return the endless sequence of runs: {@code true} for each that succeeded, {@code false} for each that failed
     *         or timed out (never an error; cancel to stop). Uses Reactor's parallel scheduler, so it runs on virtual
     *         time under {@code StepVerifier.withVirtualTime}.
     */
    public Flux<Boolean> runs(Duration initialDelay) {
        Mono<Boolean> once = Mono.defer(job::get)
                .timeout(timeout)
                // a run that timed out leaves its commands in flight: their errors come later, and are no news
                .contextWrite(LateErrors.afterTimeout("background job " + name, log))
                .then(Mono.fromCallable(this::succeeded))
                .onErrorResume(e -> Mono.fromCallable(() -> failed(e)));
        return Mono.delay(initialDelay).thenMany(once.concatWith(Mono.delay(interval).then(Mono.<Boolean>empty())).repeat());
    }

    /** Starts the job on Reactor's parallel scheduler; dispose the result to stop it. */
    public Disposable start(Duration initialDelay) {
        return runs(initialDelay).subscribe();
    }

    /** @return the job's name */
    public String name() {
        return name;
    }

    /** @return runs that failed or timed out, since creation */
    public long failures() {
        return failures.get();
    }

    /** @return runs that succeeded, since creation */
    public long successes() {
        return runs.get();
    }

    /** @return runs that failed or timed out in a row since the last one that succeeded (0 after a success) */
    public long failureStreak() {
        return failureStreak;
    }

    private boolean succeeded() {
        runs.incrementAndGet();
        long streak = failureStreak;
        if (streak > 0) {
            failureStreak = 0;
            log.info("{}: working again after {} failed run(s)", name, streak);
        }
        return true;
    }

    private boolean failed(Throwable e) {
        failures.incrementAndGet();
        String what = e instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + timeout.toMillis() + " ms" : CauseMessages.of(e);
        if (failureStreak++ == 0) {
            log.warn("{} failed, retrying every {} ms: {}", name, interval.toMillis(), what);
        } else {
            log.debug("{} failed again ({} in a row): {}", name, failureStreak, what, e);
        }
        return false;
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
