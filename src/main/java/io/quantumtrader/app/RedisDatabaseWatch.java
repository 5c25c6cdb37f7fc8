package io.quantumtrader.app;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.quantumtrader.streams.runtime.FailureDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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
 * while the database is refused reports the database ({@link #named}).
 */
final class RedisDatabaseWatch implements AutoCloseable, FailureDescription {

    private static final Logger log = LoggerFactory.getLogger(RedisDatabaseWatch.class);

    private final RedisTarget target;
    private final ToIntFunction<RedisTarget> databases;
    private final Disposable events;
    private final AtomicBoolean reporting = new AtomicBoolean();
    /** The refused database, named for people ({@link FailureMessages#databaseOutOfRange}); null while it is not refused. */
    private volatile CliException lost;

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
        return new CliException(CliException.REDIS, now.getMessage(), now.hint(), failure);
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
