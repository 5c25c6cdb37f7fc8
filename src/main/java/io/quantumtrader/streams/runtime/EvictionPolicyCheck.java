package io.quantumtrader.streams.runtime;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Properties;

/**
 * Finds a Redis that may evict the engine's keys. With {@code maxmemory-policy allkeys-*} a Redis whose memory is full
 * deletes keys of any kind to make room: streams with unread entries, state stores, dedupe logs; the engine would then
 * lose entries and state without a trace (a deleted stream is simply empty to its readers). The {@code volatile-*}
 * policies evict only keys with a time to live, which for the engine are its task leases and membership: losing one
 * moves a task to another owner (fenced) and loses nothing. {@code noeviction}, what docs/OPERATIONS.md and the
 * Kubernetes manifests set, refuses writes instead, and commits wait until memory is free.
 */
final class EvictionPolicyCheck {

    private EvictionPolicyCheck() {
    }

    /**
     * @return the {@code allkeys-*} policies of the servers behind {@code redis} (every master of a Redis Cluster),
     *         empty when none; an error when Redis does not say ({@code CONFIG} disabled or renamed, as on some managed
     *         services)
     */
    static Mono<List<String>> evictingPolicies(ReactiveStringRedisTemplate redis) {
        return redis.execute(c -> c.serverCommands().getConfig("maxmemory-policy"))
                .flatMapIterable(EvictionPolicyCheck::policies)
                .filter(policy -> policy.startsWith("allkeys-"))
                .distinct()
                .collectList();
    }

    /** A cluster's reply names each node's setting {@code <host>:<port>.maxmemory-policy}, a server's just the setting. */
    private static List<String> policies(Properties config) {
        return config.stringPropertyNames().stream()
                .filter(name -> name.endsWith("maxmemory-policy"))
                .map(config::getProperty)
                .toList();
    }
}
