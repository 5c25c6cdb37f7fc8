package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.LuaScript;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The instances sharing a namespace, in Redis (layout: {@link StreamKeys#members()}, {@link StreamKeys#member}):
 * a sorted set of instance id → epoch ms (Redis clock) until which the instance is live, renewed by each instance's
 * heartbeat, and a hash per member with its details ({@code host}, {@code started} epoch ms, {@code tasks}: owned task
 * ids separated by commas, {@code heartbeat} epoch ms). Expired members are removed by whoever notices.
 */
final class Membership {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> MEMBERSHIP =
            LuaScript.springScript("membership.lua", List.class);

    /**
     * What one read of the membership saw.
     *
     * @param nowMillis the Redis clock, epoch ms
     * @param live      live instance ids, sorted
     * @param removed   instances found expired (and removed) by this read
     */
    record View(long nowMillis, List<String> live, List<String> removed) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final StreamKeys keys;
    private final String instanceId;
    private final Duration ttl;
    private final String host;
    private final long startedMillis = System.currentTimeMillis();

    Membership(ReactiveStringRedisTemplate redis, StreamKeys keys, String instanceId, Duration ttl) {
        this.redis = redis;
        this.keys = keys;
        this.instanceId = instanceId;
        this.ttl = ttl;
        this.host = hostName();
    }

    /**
     * Registers (or renews) this instance for another TTL, with its details and owned tasks, and removes expired
     * members.
     *
     * @return the membership after the heartbeat
     */
    Mono<View> heartbeat(Collection<TaskId> ownedTasks) {
        return run(instanceId).flatMap(view -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("host", host);
            details.put("started", Long.toString(startedMillis));
            details.put("tasks", ownedTasks.stream().sorted().map(TaskId::toString).collect(Collectors.joining(",")));
            details.put("heartbeat", Long.toString(view.nowMillis()));
            String key = keys.member(instanceId);
            return redis.opsForHash().putAll(key, details)
                    .then(redis.expire(key, ttl))
                    .then(forgetDetails(view.removed()))
                    .thenReturn(view);
        });
    }

    /** @return the live members (expired ones are removed on the way), without renewing this instance */
    Mono<View> read() {
        return run("").flatMap(view -> forgetDetails(view.removed()).thenReturn(view));
    }

    /** Leaves the group at once (graceful stop): the others rebalance at their next tick instead of after the TTL. */
    Mono<Void> leave() {
        return redis.opsForZSet().remove(keys.members(), instanceId)
                .then(redis.delete(keys.member(instanceId)))
                .then();
    }

    private Mono<Void> forgetDetails(List<String> removed) {
        return Flux.fromIterable(removed).concatMap(id -> redis.delete(keys.member(id))).then();
    }

    private Mono<View> run(String self) {
        return redis.execute(MEMBERSHIP, List.of(keys.members()), List.of(self, Long.toString(ttl.toMillis())))
                .next()
                .map(l -> {
                    long now = ((Number) l.get(0)).longValue();
                    int n = ((Number) l.get(1)).intValue();
                    List<String> live = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        live.add(String.valueOf(l.get(2 + i)));
                    }
                    List<String> removed = new ArrayList<>();
                    for (int i = 2 + n; i < l.size(); i++) {
                        removed.add(String.valueOf(l.get(i)));
                    }
                    return new View(now, List.copyOf(live), List.copyOf(removed));
                });
    }

    private static String hostName() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
