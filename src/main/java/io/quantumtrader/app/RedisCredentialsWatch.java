package io.quantumtrader.app;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Notices Redis refusing the service's credentials on every reconnect (WRONGPASS, NOAUTH: the password was rotated and
 * the pod still holds the old one). Lettuce retries for ever and the tasks wait, while the pod looked alive: nothing
 * ever restarted it to read the new secret (found in review, 2026-12-05). After {@code brokenAfter} of refusals in a
 * row (no connection made and no other failure meanwhile) it calls {@code onBroken} once (the service then reports liveness BROKEN, so Kubernetes
 * restarts the container); the refusal also shows in the {@code streams} health's problems.
 */
final class RedisCredentialsWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCredentialsWatch.class);

    private final Duration brokenAfter;
    private final Consumer<String> onBroken;
    private final LongSupplier nanoTime;
    private final Disposable events;
    private final Disposable ticks;
    private volatile long refusedSince;
    private volatile String refusal;
    private volatile boolean reported;
    /** The refusal {@code onBroken} was told, once it was: liveness stays BROKEN until the restart, so it is named. */
    private volatile String brokenBy;

    /**
     * @param resources   the client resources of the service's connection (their event bus)
     * @param brokenAfter how long refusals may last before {@code onBroken}
     * @param onBroken    told once, with a message for people
     */
    RedisCredentialsWatch(ClientResources resources, Duration brokenAfter, Consumer<String> onBroken) {
        this(resources, brokenAfter, onBroken, System::nanoTime);
    }

    /**
     * Also opens a fresh connection every {@code brokenAfter}/4 (at most every 30 s) and closes it: Redis keeps the
     * connections authenticated before a rotation, so the shared one may never reconnect while a task's own
     * connection (a fenced read's, opened without auto-reconnect) is refused on every attempt and publishes no event
     * (found in review, 2026-12-05).
     *
     * @param client the client of the service's connection factory ({@code LettuceConnectionFactory.getNativeClient()})
     */
    RedisCredentialsWatch(io.lettuce.core.AbstractRedisClient client, ClientResources resources, Duration brokenAfter,
                          Consumer<String> onBroken) {
        this(resources, brokenAfter, onBroken, System::nanoTime);
        Duration quarter = brokenAfter.dividedBy(4);
        this.probes = Flux.interval(quarter.compareTo(Duration.ofSeconds(30)) < 0 ? quarter : Duration.ofSeconds(30))
                .onBackpressureDrop()
                .concatMap(t -> reactor.core.publisher.Mono.fromRunnable(() -> probe(client))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 1)
                .subscribe(null, e -> log.warn("probing Redis' credentials stopped: {}", e.toString()));
    }

    private volatile Disposable probes;

    /** One fresh connection with the service's credentials: refused, accepted, or neither (Redis down). */
    void probe(io.lettuce.core.AbstractRedisClient client) {
        try {
            if (client instanceof io.lettuce.core.RedisClient standalone) {
                standalone.connect().close();
            } else if (client instanceof io.lettuce.core.cluster.RedisClusterClient cluster) {
                cluster.connect().close();
            } else {
                return;
            }
            accepted();
        } catch (RuntimeException e) {
            refused(e);
        }
    }

    RedisCredentialsWatch(ClientResources resources, Duration brokenAfter, Consumer<String> onBroken, LongSupplier nanoTime) {
        this.brokenAfter = brokenAfter;
        this.onBroken = onBroken;
        this.nanoTime = nanoTime;
        this.events = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ReconnectFailedEvent failed) {
                refused(failed.getCause());
            } else if (event instanceof ConnectionActivatedEvent) {
                accepted();
            }
        }, e -> log.warn("watching the Redis connection's events stopped: {}", e.toString()));
        if (brokenAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("quantum-trader.credentials-refused-restart must be at least 1s, got " + brokenAfter);
        }
        Duration every = brokenAfter.dividedBy(4).compareTo(Duration.ofSeconds(5)) < 0 ? brokenAfter.dividedBy(4) : Duration.ofSeconds(5);
        this.ticks = Flux.interval(every).subscribe(t -> check(), e -> { });
    }

    /**
     * A reconnect failed: counts when Redis refused the credentials; any other failure (Redis down, a timeout) starts
     * the count over, so only refusals in a row, none between them, turn liveness BROKEN (found in review, 2026-12-05:
     * one refusal followed by an outage restarted every pod together).
     */
    void refused(Throwable cause) {
        String why = credentialsRefusal(cause);
        if (why == null) {
            accepted();
            return;
        }
        refusal = why;
        if (refusedSince == 0) {
            refusedSince = nanoTime.getAsLong();
            log.warn("Redis refuses the service's credentials ({}): was the password changed? The service is restarted "
                    + "(liveness BROKEN) if this lasts {} s", why, brokenAfter.toSeconds());
        }
    }

    /** A connection was made: the credentials are accepted again. */
    void accepted() {
        refusedSince = 0;
        refusal = null;
    }

    /** Calls {@code onBroken} once refusals have lasted {@code brokenAfter}. */
    void check() {
        long since = refusedSince;
        if (since != 0 && !reported && nanoTime.getAsLong() - since >= brokenAfter.toNanos()) {
            reported = true;
            brokenBy = refusal;
            onBroken.accept("Redis has refused the service's credentials for " + brokenAfter.toSeconds() + " s (" + refusal
                    + "): restarting to read them again; check REDIS_URL / REDIS_PASSWORD (the secret) against Redis' ACL");
        }
    }

    /**
     * @return why Redis refuses the credentials now, or null when it does not; once liveness turned BROKEN (until the
     *         container restarts) the refusal that turned it, even while a reconnect fails for another reason (a
     *         connect timeout cleared it from the health, between two WRONGPASS, after liveness was BROKEN: review
     *         2026-12-07)
     */
    String refusal() {
        String now = refusedSince == 0 ? null : refusal;
        return now != null ? now : brokenBy;
    }

    /** @return the Redis error naming refused credentials in {@code e}'s causes, or null */
    static String credentialsRefusal(Throwable e) {
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(e)) {
            String m = t.getMessage();
            if (m != null && (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid username-password")
                    || m.contains("ERR invalid password"))) {   // the last: Redis before 6
                // redacted first, then cut: cut first, a password at the cut was no longer whole and left in clear
                String redacted = Secrets.redact(m);
                return redacted.length() > 160 ? redacted.substring(0, 160) : redacted;
            }
        }
        return null;
    }

    @Override
    public void close() {
        events.dispose();
        ticks.dispose();
        Disposable p = probes;
        if (p != null) {
            p.dispose();
        }
    }
}
