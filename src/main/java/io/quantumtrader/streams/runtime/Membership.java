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
 * ids separated by commas, {@code heartbeat} epoch ms, {@code expires}: epoch ms
 * until which that heartbeat made it live (its score in the sorted set), {@code topology}: the fingerprint of the topology it runs,
 * {@code joined}: when that topology first ran in the namespace, Redis' clock in epoch ms, from {@link
 * StreamKeys#topologies()}; see {@link TopologyVersions}; {@code supersedes}: the fingerprints of the topologies first
 * run before its own, separated by commas; {@code application}: its application id). The
 * membership is per namespace, shared by every application in it; each application assigns its tasks among its own
 * members only ({@link #topologies}; docs/OPERATIONS.md "Scaling"). Expired members are removed by whoever notices.
 */
final class Membership {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> MEMBERSHIP =
            LuaScript.springScript("membership.lua", List.class);
    private static final RedisScript<Long> FORGET_MEMBER = LuaScript.springScript("forget-member.lua", Long.class);

    /**
     * What one read of the membership saw.
     *
     * @param nowMillis the Redis clock, epoch ms
     * @param live      live instance ids, sorted
     * @param removed   instances found expired (and removed) by this read
     */
    record View(long nowMillis, List<String> live, List<String> removed) {
    }

    /**
     * The topologies of live members, split by application.
     *
     * @param sameApplication      the topology of each member of this instance's application (or of a release before
     *                             2026-12-06, whose details name no application) that has details
     * @param otherApplications    members whose details name another application id: never given this application's
     *                             tasks, nor compared by {@link TopologyVersions}
     */
    record Topologies(Map<String, TopologyVersions.MemberTopology> sameApplication, java.util.Set<String> otherApplications) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final StreamKeys keys;
    private final String instanceId;
    private final Duration ttl;
    private final String host;
    private final long startedMillis = System.currentTimeMillis();
    /** This process, among processes that may share the instance id. */
    private final String process = java.util.UUID.randomUUID().toString();
    private final java.util.function.Consumer<String> onDuplicate;
    private volatile boolean wrote;
    private volatile boolean duplicateReported;
    private final String topology;
    /** The application id this instance runs ({@code Topology.applicationId()}), written into its details. */
    private final String application;
    /**
     * When this instance's topology first ran in the namespace, Redis' clock in epoch ms (0 before its first heartbeat):
     * the same for every instance of one release, whenever it starts. Per instance (its first heartbeat), an instance of
     * the old release restarted during a rolling update became the newest and took every task back (found in review,
     * 2026-12-05).
     */
    private volatile long joinedMillis;
    /**
     * The topologies recorded in {@link StreamKeys#topologies()} as first run before this instance's when it first
     * heartbeated, with those its live peers of the same topology listed (fingerprints separated by commas), written into
     * its details ({@code supersedes}): an instance whose topology the hash lost reads there that it is older than a live
     * member's ({@link #firstRun}).
     */
    private volatile String supersedes = "";

    Membership(ReactiveStringRedisTemplate redis, StreamKeys keys, String instanceId, Duration ttl) {
        this(redis, keys, instanceId, ttl, "", "", message -> {
        });
    }

    /**
     * @param onDuplicate told once (a message for people) when another live process heartbeats under the same instance
     *                    id: both are assigned the same tasks and keep fencing each other (each lease acquire succeeds
     *                    for "the owner"), so tasks move back and forth between them
     * @param topology    the fingerprint of the topology this instance runs ({@link TopologyVersions#fingerprint})
     * @param application the application id this instance runs: members of other applications in the namespace are
     *                    left out of this one's assignment (review of 2026-12-06: two applications in one namespace
     *                    compared their topologies, and the one that first ran earlier handed every task over for good)
     */
    Membership(ReactiveStringRedisTemplate redis, StreamKeys keys, String instanceId, Duration ttl, String topology,
               String application, java.util.function.Consumer<String> onDuplicate) {
        this.redis = redis;
        this.topology = topology;
        this.application = application;
        this.keys = keys;
        this.instanceId = instanceId;
        this.ttl = ttl;
        this.host = hostName();
        this.onDuplicate = onDuplicate;
    }

    /** @return whether another live process was seen heartbeating under this instance id */
    boolean duplicateSeen() {
        return duplicateReported;
    }

    /**
     * Registers (or renews) this instance for another TTL, with its details and owned tasks, and removes expired
     * members.
     *
     * @return the membership after the heartbeat
     */
    Mono<View> heartbeat(Collection<TaskId> ownedTasks) {
        String key = keys.member(instanceId);
        // between two of this process' heartbeats only another live process can have rewritten the details (a dead one
        // writes nothing; a restarted one writes its own): found in review, 2026-12-05, nothing noticed two processes
        // with one id
        Mono<Void> check = Mono.defer(() -> !wrote || duplicateReported ? Mono.<Void>empty()
                : redis.<String, String>opsForHash().entries(key).collectMap(Map.Entry::getKey, Map.Entry::getValue)
                        .doOnNext(seen -> {
                            String other = seen.get("process");
                            if (other != null && !other.equals(process) && !duplicateReported) {
                                duplicateReported = true;
                                String otherApplication = seen.getOrDefault("application", "");
                                onDuplicate.accept(!otherApplication.isEmpty() && !otherApplication.equals(application)
                                        ? "instance id '" + instanceId + "' is also used by a live process of application '"
                                        + otherApplication + "' in this namespace (this one on " + host + ", the other on "
                                        + seen.getOrDefault("host", "?") + "): they overwrite each other's membership; give "
                                        + "each its own instance id (StreamsConfig.withInstanceId; for the service "
                                        + "QUANTUM_TRADER_INSTANCE_ID, default the host name)"
                                        : "two live processes use instance id '" + instanceId + "' (this one on "
                                        + host + ", the other on " + seen.getOrDefault("host", "?") + "): they are assigned "
                                        + "the same tasks and take them from each other; give each its own instance id "
                                        + "(StreamsConfig.withInstanceId; for the service QUANTUM_TRADER_INSTANCE_ID, "
                                        + "default the host name)");
                            }
                        })
                        .then());
        return check.then(run(instanceId)).flatMap(view -> firstRun(view.nowMillis(), view.live()).then(Mono.defer(() -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("host", host);
            details.put("process", process);
            details.put("started", Long.toString(startedMillis));
            details.put("tasks", ownedTasks.stream().sorted().map(TaskId::toString).collect(Collectors.joining(",")));
            details.put("heartbeat", Long.toString(view.nowMillis()));
            details.put("expires", Long.toString(view.nowMillis() + ttl.toMillis())); // the score the heartbeat set
            details.put("topology", topology);
            details.put("application", application);
            details.put("joined", Long.toString(joinedMillis));
            details.put("supersedes", supersedes);
            return redis.opsForHash().putAll(key, details)
                    .doOnNext(ok -> wrote = true)
                    .then(redis.expire(key, ttl))
                    .then(forgetDetails(view.removed()))
                    .thenReturn(view);
        })));
    }

    /**
     * Records when this topology first ran ({@code HSETNX}) and reads it back into {@link #joinedMillis}, once; at every
     * later heartbeat writes that time back when the hash lost it ({@code HSETNX} again, one command per heartbeat).
     * Written once only, a hash lost while instances ran (deleted, evicted, Redis restarted from an older snapshot)
     * stayed empty, and an old-release instance restarted during a rolling update recorded its topology as first run
     * then, became the newest and took every task back (review of 2026-12-06, {@code TopologiesKeyLostTest}).
     *
     * <p>At the first heartbeat, a topology missing from the hash that a live member of this application lists as
     * superseded ({@code supersedes} in its details) is recorded as first run 1 ms before the earliest such member's
     * topology, not now: the hash was lost while no instance of this (older) release ran, and an old-release pod started
     * before the new ones were stopped counted as the newest and took every task (review of 2026-12-06, {@code
     * TopologiesKeyLostWithNoOldInstanceTest}). Then lists in {@link #supersedes} the topologies the hash records as
     * first run before this one, with those listed by live members running this same topology (the list outlives the
     * hash as long as one instance of this release runs).
     *
     * @param live the live members (this one included)
     */
    private Mono<Void> firstRun(long nowMillis, List<String> live) {
        if (joinedMillis != 0) {
            return redis.<String, String>opsForHash().putIfAbsent(keys.topologies(), topology, Long.toString(joinedMillis))
                    .then();
        }
        return peers(live).flatMap(peers -> {
            long supersededBy = peers.stream().filter(p -> p.supersedes().contains(topology))
                    .mapToLong(PeerDetails::joinedMillis).min().orElse(0);
            long first = supersededBy > 0 ? Math.min(nowMillis, supersededBy - 1) : nowMillis;
            return redis.<String, String>opsForHash().putIfAbsent(keys.topologies(), topology, Long.toString(first))
                    .then(redis.<String, String>opsForHash().entries(keys.topologies())
                            .collectMap(Map.Entry::getKey, Map.Entry::getValue))
                    .doOnNext(recorded -> {
                        long own = Long.parseLong(recorded.get(topology));
                        java.util.Set<String> older = new java.util.TreeSet<>();
                        recorded.forEach((f, v) -> {
                            if (!f.equals(topology) && v.chars().allMatch(Character::isDigit) && !v.isEmpty()
                                    && Long.parseLong(v) < own) {
                                older.add(f);
                            }
                        });
                        peers.stream().filter(p -> p.fingerprint().equals(topology))
                                .forEach(p -> older.addAll(p.supersedes()));
                        older.remove(topology);
                        supersedes = String.join(",", older);
                        joinedMillis = own;
                    });
        }).then();
    }

    /**
     * One live peer's details, as {@link #firstRun} reads them.
     *
     * @param fingerprint  the topology it runs
     * @param joinedMillis when that topology first ran, epoch ms (Redis' clock)
     * @param supersedes   the topologies it lists as first run before its own
     */
    private record PeerDetails(String fingerprint, long joinedMillis, java.util.Set<String> supersedes) {
    }

    /** @return the details of the live members of this application other than this one that have them */
    private Mono<List<PeerDetails>> peers(List<String> live) {
        return Flux.fromIterable(live)
                .filter(id -> !id.equals(instanceId))
                .flatMap(id -> redis.<String, String>opsForHash().multiGet(keys.member(id),
                        List.of("topology", "joined", "application", "supersedes")), 16)
                .filter(v -> v.get(0) != null && v.get(1) != null && v.get(1).chars().allMatch(Character::isDigit)
                        && !v.get(1).isEmpty())
                .filter(v -> v.get(2) == null || v.get(2).isEmpty() || v.get(2).equals(application))
                .map(v -> new PeerDetails(v.get(0), Long.parseLong(v.get(1)), v.get(3) == null || v.get(3).isEmpty()
                        ? java.util.Set.of() : java.util.Set.copyOf(java.util.Arrays.asList(v.get(3).split(",")))))
                .collectList();
    }

    /**
     * @return the topology of each of {@code members} whose details hold one (this instance's own from memory once it
     *         has heartbeated: its details may be written after another instance's read), split by application: a
     *         member whose details name another application id is only listed in {@link Topologies#otherApplications};
     *         one whose details name none (a release before 2026-12-06) counts as this application's, so a rolling
     *         update of this application still sees its old instances
     */
    Mono<Topologies> topologies(List<String> members) {
        java.util.Set<String> others = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return Flux.fromIterable(members)
                .filter(id -> !id.equals(instanceId))
                .flatMap(id -> redis.<String, String>opsForHash().multiGet(keys.member(id), List.of("topology", "joined", "application"))
                        .filter(v -> v.get(0) != null && v.get(1) != null)
                        .filter(v -> {
                            boolean other = v.get(2) != null && !v.get(2).isEmpty() && !v.get(2).equals(application);
                            if (other) {
                                others.add(id);
                            }
                            return !other;
                        })
                        .map(v -> Map.entry(id, new TopologyVersions.MemberTopology(v.get(0), Long.parseLong(v.get(1))))), 16)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, java.util.HashMap::new)
                .map(found -> {
                    if (joinedMillis != 0) {
                        found.put(instanceId, new TopologyVersions.MemberTopology(topology, joinedMillis));
                    }
                    return new Topologies(found, java.util.Set.copyOf(others));
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

    /**
     * Deletes the details of members found expired, unless they heartbeated again meanwhile (their details then are
     * fresh: deleted, the others left the member out of the assignment until its next heartbeat; found in review,
     * 2026-12-05). Judged and deleted in one script on the details hash alone ({@code forget-member.lua}: its {@code
     * expires} field still in the past): the sorted set is in another Redis Cluster slot, and a member that renewed
     * between a read of the sorted set and the delete lost its details (found in review, 2026-12-06). Details not
     * deleted expire by themselves, a TTL after the member's last heartbeat.
     */
    Mono<Void> forgetDetails(List<String> removed) {
        return Flux.fromIterable(removed)
                .concatMap(id -> redis.execute(FORGET_MEMBER, List.of(keys.member(id)), List.of()).then())
                .then();
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
