package io.quantumtrader.app;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.quantumtrader.streams.runtime.FailureDescription;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * Notices Redis refusing the service's database on reconnect: a server restarted with a smaller {@code databases}
 * setting answers the reconnect's SELECT with {@code ERR DB index is out of range}, and Lettuce retries for ever while
 * every command of the service times out. A start says so in two lines ({@link FailureMessages#databaseOutOfRange}:
 * the database, the server's limit, what to do); a running service logged only raw Redis errors and timeouts (found in
 * review, 2026-12-06). Now it logs that same message once per outage (ERROR, the second line indented; Lettuce's
 * repeated raw lines are held back by {@link LostDatabaseLogFilter} while it watches), serves it to the
 * {@code streams} health ({@link #problem()}), and logs at INFO once a connection is made again. The service keeps
 * running: Redis may be given its databases back. The engine's tasks, failing meanwhile, say the same in words
 * ({@link #describe}) in their restart WARN and the health's {@code group.failing}: they quoted Redis' raw reply
 * (review, 2026-12-07). A {@code replay} watches its connection the same way ({@link #of}), and a command that fails
 * while the database is refused reports the database ({@link #named}); it ends as soon as the database is named
 * ({@link #unlessLost}, {@link #awaitDrained}) instead of when its next command times out (the client's 60 s). So
 * does {@code bench}.
 */
final class RedisDatabaseWatch implements AutoCloseable, FailureDescription {

    private static final Logger log = LoggerFactory.getLogger(RedisDatabaseWatch.class);
    /** how long {@link #awaitDrained} waits between two looks at the database */
    private static final Duration DRAIN_SLICE = Duration.ofSeconds(1);

    private final RedisTarget target;
    private final ToIntFunction<RedisTarget> databases;
    private final Disposable events;
    private final AtomicBoolean reporting = new AtomicBoolean();
    /** The refused database, named for people ({@link FailureMessages#databaseOutOfRange}); null while it is not refused. */
    private volatile CliException lost;
    /** each newly named loss, for {@link #unlessLost} */
    private final Sinks.Many<CliException> losses = Sinks.many().multicast().directBestEffort();

    /**
     * @param resources the client resources of the service's connections (their event bus)
     * @param target    the Redis and database of {@code REDIS_URL}; null for a Redis this process started (nothing to
     *                  watch: it never loses a database)
     * @param databases asks the server for its {@code databases} setting, -1 when it does not tell
     *                  ({@link RedisConnection#databases}); called off the event bus's threads
     */
    RedisDatabaseWatch(ClientResources resources, RedisTarget target, ToIntFunction<RedisTarget> databases) {
        this.target = target;
        this.databases = databases;
        LostDatabaseLogFilter.watching(target != null);
        this.events = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ReconnectFailedEvent failed) {
                refused(failed.getCause());
            } else if (event instanceof ConnectionActivatedEvent) {
                accepted();
            }
        }, e -> log.warn("watching the Redis connection's events for a lost database stopped: {}", e.toString()));
    }

    /**
     * A reconnect failed: when Redis refused the database, reports it (once until a connection is made again). Other
     * failures (Redis down, a timeout) change nothing: the database is not known to be back.
     */
    void refused(Throwable cause) {
        if (target == null || !FailureMessages.isDatabaseOutOfRange(cause) || lost != null || !reporting.compareAndSet(false, true)) {
            return;
        }
        Mono.fromRunnable(() -> {
            try {
                CliException failure = FailureMessages.databaseOutOfRange(cause, target, databases.applyAsInt(target));
                lost = failure;
                log.error("reconnecting: {}\n  {}", failure.getMessage(), failure.hint());
                losses.tryEmitNext(failure);   // serialized: one report at a time (reporting)
            } finally {
                reporting.set(false);
            }
        }).subscribeOn(Schedulers.boundedElastic()).subscribe(null, e -> log.warn("naming the lost database failed: {}", e.toString()));
    }

    /** A connection was made (its SELECT included): the database is there again. */
    void accepted() {
        if (lost != null) {
            lost = null;
            log.info("Redis at {} has database {} again: the service goes on", target.hostPorts(), target.database());
        }
    }

    /**
     * @return for a failure of the engine's tasks caused by Redis refusing the database of {@code REDIS_URL}: the
     *         database, and what to do, one line (short: {@link #problem()}'s ERROR says the server's limit once); for
     *         any other failure while the database is refused (its commands time out: every reconnect is refused) the
     *         same, then the failure's own message in brackets (a replay's tasks said only "Did not observe any item or
     *         terminal signal within 5000ms", review 2026-12-07); else empty
     */
    @Override
    public Optional<String> describe(Throwable failure) {
        if (target == null) {
            return Optional.empty();
        }
        String named = "Redis at " + target.hostPorts() + " has no database " + target.database()
                + ", the one REDIS_URL selects: check the server's 'databases' setting, or name a database it has in REDIS_URL";
        if (FailureMessages.isDatabaseOutOfRange(failure)) {
            return Optional.of(named);
        }
        if (lost != null) {
            return Optional.of(named + " (this failure meanwhile: " + Secrets.redact(String.valueOf(failure.getMessage())) + ")");
        }
        return Optional.empty();
    }

    /**
     * A watch on the connection of a command ({@code replay}; {@code serve} makes its own as a bean).
     *
     * @param redis the command's connection; one this process started has no {@code REDIS_URL} database to lose
     * @return the watch, to close with the connection
     */
    static RedisDatabaseWatch of(RedisConnection redis) {
        return new RedisDatabaseWatch(redis.factory().getClientResources(), redis.target(), RedisConnection::databases);
    }

    /**
     * @param failure what a command failed with
     * @return while Redis refuses the database: a {@link CliException} ({@link CliException#REDIS}) naming it and
     *         what to do, caused by {@code failure} (which is a timeout or a raw Redis error then); else {@code failure}
     */
    RuntimeException named(RuntimeException failure) {
        CliException now = lost;
        if (now == null || failure instanceof CliException) {
            return failure;
        }
        return naming(now, failure);
    }

    /**
     * @param work a command's work on the watched connection (a replay's publishing)
     * @return {@code work}, failing with the database named ({@link CliException#REDIS}) as soon as Redis refuses it,
     *         or at once when it refuses it already: the work's commands would otherwise wait for the client's command
     *         timeout (60 s) while every reconnect is refused (a replay ended a minute after the ERROR, review
     *         2026-12-07); unchanged for a Redis this process started
     */
    <T> Mono<T> unlessLost(Mono<T> work) {
        if (target == null) {
            return work;
        }
        // the sink first: a loss named between the two is seen by one of them
        Mono<T> loss = Flux.merge(losses.asFlux(), Mono.fromCallable(() -> lost)).next()
                .flatMap(named -> Mono.error(naming(named, named.getCause())));
        return Mono.firstWithSignal(work, loss);
    }

    /**
     * @throws CliException ({@link CliException#REDIS}) naming the database and what to do while Redis refuses it
     */
    void failIfLost() {
        CliException now = lost;
        if (now != null) {
            throw naming(now, now.getCause());
        }
    }

    /**
     * {@link StreamsRuntime#awaitDrained} in slices of a second, so that a database Redis refuses meanwhile ends the
     * wait at once ({@link #failIfLost}) instead of after {@code timeout} (a replay's 10 minutes by default).
     *
     * @return whether the runtime drained within {@code timeout}; false at once when it stopped (ERROR, NOT_RUNNING)
     * @throws CliException naming the database when Redis refuses it
     */
    boolean awaitDrained(StreamsRuntime runtime, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            failIfLost();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (runtime.awaitDrained(Duration.ofNanos(Math.min(left, DRAIN_SLICE.toNanos())))) {
                return true;
            }
            RuntimeState state = runtime.state();
            if (state == RuntimeState.ERROR || state == RuntimeState.NOT_RUNNING) {
                return false;
            }
        }
    }

    /** @return a new {@link CliException#REDIS} failure with {@code loss}'s words (its own stack), caused by {@code cause} */
    private static CliException naming(CliException loss, Throwable cause) {
        return new CliException(CliException.REDIS, loss.getMessage(), loss.hint(), cause);
    }

    /** @return the database Redis refuses and what to do, one line, or null while it does not refuse it */
    String problem() {
        CliException now = lost;
        return now == null ? null : now.getMessage() + "; " + now.hint();
    }

    @Override
    public void close() {
        events.dispose();
        if (target != null) {
            LostDatabaseLogFilter.watching(false);
        }
    }
}
