package io.quantumtrader.streams.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads Redis' {@code maxmemory-policy} again while the runtime runs ({@link EvictionPolicyCheck}): a
 * {@code CONFIG SET maxmemory-policy allkeys-lru} made after the start (an operator, a managed service's change, a node
 * replaced in a cluster) let Redis evict streams and state without a word, since the check ran at start only (found in
 * review, 2026-12-08). A change to an evicting policy is said once (ERROR and {@code critical}, the same words as at the
 * start), a change back once at INFO; {@code qt.streams.redis.evicting} is 1 while a policy that evicts any key is set
 * (NaN while Redis has not said).
 * A Redis that refuses {@code CONFIG} (disabled or renamed, as on some managed services) is not checked (DEBUG); no
 * reply within the job's timeout is a failure of the job (counted, retried at the next run).
 */
final class EvictionPolicyWatch {

    /** How often the policy is read again: a {@code CONFIG GET} per master per minute. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(EvictionPolicyWatch.class);

    private final ReactiveStringRedisTemplate redis;
    private final Consumer<String> critical;
    private volatile List<String> evicting;

    /**
     * @param redis      the runtime's Redis
     * @param critical   told the ERROR's message when an evicting policy appears (the runtime's CRITICAL alert)
     * @param atStart    the evicting policies the start found (said then; not said again)
     * @param known      whether the start read the policy (false: CONFIG refused or no reply)
     */
    EvictionPolicyWatch(ReactiveStringRedisTemplate redis, Consumer<String> critical, List<String> atStart, boolean known) {
        this.redis = redis;
        this.critical = critical;
        this.evicting = List.copyOf(atStart);
        this.known = known;
    }

    /** @return the message of the ERROR and alert for {@code policies} (the start's and the watch's) */
    static String message(List<String> policies) {
        return "Redis evicts keys of any kind when its memory is full (maxmemory-policy "
                + String.join(", ", policies) + "): streams with unread entries, state stores and dedupe logs can "
                + "disappear, and their entries be lost without a trace. Set maxmemory-policy noeviction "
                + "(docs/OPERATIONS.md \"Commits are all or nothing\")";
    }

    /** Whether a read got Redis' answer (false where CONFIG is refused: the policy is not known). */
    private volatile boolean known;

    /** @return 1 while the last read found a policy that evicts any key, 0 when it found none, NaN while not known */
    double evicting() {
        return !known ? Double.NaN : evicting.isEmpty() ? 0 : 1;
    }

    /** One read of the policy; says a change (see the class comment). */
    Mono<Void> checkOnce() {
        return EvictionPolicyCheck.evictingPolicies(redis)
                .onErrorResume(e -> !StartupRetry.waitingForRedis(e), e -> {
                    log.debug("could not read Redis' maxmemory-policy: {}", e.toString());
                    return Mono.empty();
                })
                .doOnNext(now -> {
                    known = true;
                    List<String> before = evicting;
                    evicting = List.copyOf(now);
                    if (!now.isEmpty() && !now.equals(before)) {
                        String message = message(now);
                        log.error(message);
                        critical.accept(message);
                    } else if (now.isEmpty() && !before.isEmpty()) {
                        log.info("Redis no longer evicts keys of any kind (maxmemory-policy was {})", String.join(", ", before));
                    }
                })
                .then();
    }
}
