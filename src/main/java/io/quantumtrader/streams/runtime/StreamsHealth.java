package io.quantumtrader.streams.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.metrics.StreamsMetrics;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Health of the consumer groups on the catalog's streams, read from Redis (XINFO GROUPS / CONSUMERS, XPENDING), so it
 * also sees a topology no live instance runs, and groups of other applications. Catches what the seed audit found
 * (34 stale consumers, lag 10,014 on a group nobody served, a stream nobody read, trades never executed).
 *
 * <p>A consumer is <em>live</em> when the instance of that name is a live member ({@code <ns>:members}, renewed by
 * its heartbeat), or it is this instance and the local runtime is running; a consumer of another application's group
 * that is not a member is live while its XINFO idle time is below {@code staleConsumerIdle}. A consumer of this
 * topology's groups that is no live member is not live whatever its idle time (its instance died or left): it is
 * <em>stale</em> while it holds pending entries or once idle for {@code staleConsumerIdle}, else <em>departed</em>
 * (holding nothing, removed by the cleanup once idle that long). XINFO idle alone would call a healthy consumer of a
 * quiet stream stale: Redis 7.0 does not reset it on empty reads.
 *
 * <p>Rules, for this topology's groups:
 * <ul>
 *   <li>DOWN: a source has entries waiting (lag or pending) and no live consumer in its group; or the runtime is in ERROR;</li>
 *   <li>OUT_OF_SERVICE: lag above {@code maxLag}, oldest pending entry older than {@code maxOldestPendingAge}, or more
 *       than {@code maxStaleConsumers} stale consumers;</li>
 *   <li>UP otherwise.</li>
 * </ul>
 * The same findings on other applications' groups, and catalog streams that hold entries but have no consumer group,
 * are reported as {@link Report#observations()} and in meters, without changing this service's status (another
 * team's backlog must not take this service out of its load balancer).
 */
public final class StreamsHealth {

    /** Worst first, as Spring Boot orders them. */
    public enum Status { DOWN, OUT_OF_SERVICE, UP }

    /**
     * @param maxLag              entries not yet delivered, per source partition
     * @param maxOldestPendingAge age of the oldest unacknowledged entry
     * @param maxStaleConsumers   stale consumers tolerated per group and source partition
     * @param staleConsumerIdle   a consumer that is not a member and is idle this long is stale (not live)
     */
    public record Thresholds(long maxLag, Duration maxOldestPendingAge, int maxStaleConsumers, Duration staleConsumerIdle) {
        /** @return lag 1,000, oldest pending 60 s, 5 stale consumers, stale after 5 min idle */
        public static Thresholds defaults() {
            return new Thresholds(1_000, Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
        }
    }

    /**
     * @param status       the worst status found for this topology
     * @param problems     one sentence per problem of this topology, naming group, stream and partition
     * @param sources      per {@code <group>/<stream>/<partition>} (every group on the catalog's streams): lag,
     *                     pending, oldest pending age (ms), live and stale consumers, and whether the group is this
     *                     topology's
     * @param observations problems seen on other applications' groups and catalog streams with entries but no group
     */
    public record Report(Status status, List<String> problems, Map<String, Map<String, Object>> sources,
                         List<String> observations) {
    }

    private final Topology topology;
    private final StreamsConfig config;
    private final StreamAdmin admin;
    private final ReactiveStringRedisTemplate redis;
    private final Thresholds thresholds;
    private final Supplier<RuntimeState> runtimeState;
    /** The gauges the checks published, by name and tags, with their meter (to remove it once a check no longer finds it). */
    private final Map<String, PublishedGauge> gaugeValues = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    /** Checks that failed (or were given up) in a row since the last that succeeded. */
    private final java.util.concurrent.atomic.AtomicInteger failedInARow = new java.util.concurrent.atomic.AtomicInteger();
    /** This host's clock, epoch ms (membership expiries are of the instances' clocks). */
    private java.util.function.LongSupplier hostClock = System::currentTimeMillis;

    /**
     * Failed checks in a row after which the published gauges read NaN (not known) until a check succeeds, as the lag
     * gauges do ({@code LagGauges.STALE_AFTER_FAILURES}).
     */
    static final int STALE_AFTER_FAILURES = LagGauges.STALE_AFTER_FAILURES;

    /** @param runtimeState the local runtime's state, or {@code null} to judge from Redis only */
    public StreamsHealth(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis, Thresholds thresholds,
                         Supplier<RuntimeState> runtimeState) {
        this.topology = topology;
        this.config = config;
        this.redis = redis;
        this.admin = new StreamAdmin(redis);
        this.thresholds = thresholds;
        this.runtimeState = runtimeState;
    }

    /**
     * Publishes what each {@link #check()} finds as gauges: {@code qt.streams.group.lag}, {@code .pending},
     * {@code .consumers.live}, {@code .consumers.stale} per group, stream and partition (every group, other
     * applications' included), and {@code qt.streams.stream.ungrouped.entries} per catalog stream partition that has
     * entries and no group. Each check publishes what it found and removes the gauges of what it no longer finds (a
     * destroyed group, a stream that has a group now): a gauge never shows an earlier check's finding. After
     * {@value #STALE_AFTER_FAILURES} checks in a row that failed or were given up (Redis down, or slower than the
     * caller's timeout) every gauge reads NaN until a check succeeds: until 2026-12-07 they kept the last reading for as
     * long as checks failed, and a dashboard or alert on another application's backlog saw it as the present (found in
     * review, {@code HealthGaugesDuringOutageTest}).
     *
     * @return this
     */
    public StreamsHealth withMeters(MeterRegistry meters) {
        this.registry = meters;
        return this;
    }

    /** @return the current report */
    public Mono<Report> check() {
        StreamKeys keys = new StreamKeys(config.namespace());
        Set<String> own = new LinkedHashSet<>();
        Map<String, List<String>> streamsToCheck = new LinkedHashMap<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                own.add(group + "|" + stream);
                streamsToCheck.computeIfAbsent(stream, k -> new ArrayList<>()).add(group);
            }
        }
        config.catalog().streams().keySet().forEach(stream -> streamsToCheck.computeIfAbsent(stream, k -> new ArrayList<>()));
        List<Mono<List<SourceCheck>>> checks = new ArrayList<>();
        streamsToCheck.forEach((stream, ownGroups) -> {
            for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                String key = keys.stream(stream, p);
                int partition = p;
                checks.add(admin.groups(key).flatMap(g -> {
                    if (g.anotherType()) {
                        return Mono.just(List.of(new SourceCheck(stream, partition, null, false, 0, null, List.of(),
                                key + " holds a " + g.type())));
                    }
                    Set<String> groups = new LinkedHashSet<>(ownGroups);
                    groups.addAll(g.groups());
                    if (groups.isEmpty()) {
                        return Mono.just(List.of(new SourceCheck(stream, partition, null, false, g.length(), null, List.of(), null)));
                    }
                    return Flux.fromIterable(groups)
                            // counted past max-lag when Redis cannot tell the lag, so the threshold still decides
                            .concatMap(group -> Mono.zip(admin.groupLag(key, group,
                                            Math.max(StreamAdmin.LAG_COUNT_LIMIT, thresholds.maxLag() + 1)), admin.consumers(key, group))
                                    .map(t -> new SourceCheck(stream, partition, group, own.contains(group + "|" + stream),
                                            g.length(), t.getT1(), t.getT2(), null)))
                            .collectList();
                }).onErrorResume(e -> Mono.just(List.of(SourceCheck.unreadable(stream, partition, !ownGroups.isEmpty(),
                        CauseMessages.of(e))))));
            }
        });
        Mono<Map<String, Double>> members = redis.opsForZSet().rangeWithScores(keys.members(), Range.unbounded())
                .collectMap(t -> t.getValue(), t -> t.getScore() == null ? 0.0 : t.getScore())
                .onErrorReturn(Map.of());
        // pending ages by Redis' clock, the one the entry ids come from: by this host's, a pod clock 60 s ahead made every
        // pending entry a minute old, over the OUT_OF_SERVICE threshold (found in review, 2026-12-07:
        // HealthPendingAgeClockTest); read at each check (RedisClock, refresh 0), this host's when Redis cannot tell
        Mono<Long> redisNow = new RedisClock(redis, hostClock, Duration.ZERO).nowMs();
        // partitions checked side by side, each on its own: one that cannot be read (its Redis Cluster node down) is a
        // problem naming it and the others keep their readings; until 2026-12-07 the first such partition failed the
        // whole check, every gauge went NaN and the report named nothing, and a node down cost 5 s per partition in
        // turn (found in review, HealthOnePartitionUnreadableTest). Every partition unreadable: the check failed, as before
        return Mono.zip(members, redisNow)
                .flatMap(t -> Flux.fromIterable(checks).flatMapSequential(m -> m, ResilientPass.CONCURRENCY)
                        .flatMapIterable(l -> l).collectList()
                        .flatMap(all -> !all.isEmpty() && all.stream().allMatch(c -> c.unreadable() != null)
                                ? Mono.<Report>error(new IllegalStateException("no stream partition could be read: "
                                        + all.get(0).unreadable()))
                                : Mono.just(report(all, t.getT1(), t.getT2()))))
                .doOnSuccess(r -> failedInARow.set(0))
                .doOnError(e -> checkFailed())
                .doOnCancel(this::checkFailed);
    }

    /** A check failed or was given up: the gauges turn NaN at the {@value #STALE_AFTER_FAILURES}th in a row. */
    private void checkFailed() {
        if (failedInARow.incrementAndGet() >= STALE_AFTER_FAILURES) {
            synchronized (gaugeValues) {
                gaugeValues.values().forEach(g -> g.value()[0] = Double.NaN);
            }
        }
    }

    /** @param anotherType what a stream partition's key of another type holds ({@code null}: a stream, or no key) */
    private record SourceCheck(String stream, int partition, String group, boolean own, long length,
                               StreamAdmin.GroupLag lag, List<StreamAdmin.ConsumerInfo> consumers, String anotherType,
                               String unreadable) {

        SourceCheck(String stream, int partition, String group, boolean own, long length, StreamAdmin.GroupLag lag,
                    List<StreamAdmin.ConsumerInfo> consumers, String anotherType) {
            this(stream, partition, group, own, length, lag, consumers, anotherType, null);
        }

        /** A partition whose groups could not be read ({@code cause}); {@code own}: this topology reads the stream. */
        static SourceCheck unreadable(String stream, int partition, boolean own, String cause) {
            return new SourceCheck(stream, partition, null, own, 0, null, List.of(), null, cause);
        }

        String name() {
            return group + "/" + stream + "/" + partition;
        }
    }

    /**
     * The rule of the class comment (docs/OPERATIONS.md "Health"): a consumer of this topology's groups is live when it
     * is this instance with its runtime running, or a live member; never by its idle time (a dead instance removed from
     * the members counted as live by idle for up to {@code staleConsumerIdle}, and this instance's own consumer as
     * stale, runtime running, while its member entry had expired: found in review, 2026-12-06). A consumer of another
     * application's group is live when it is a live member, else while its idle time is below the threshold.
     */
    private boolean live(StreamAdmin.ConsumerInfo c, Map<String, Double> members, boolean ownGroup, RuntimeState state, long now) {
        if (ownGroup && c.name().equals(config.instanceId()) && state == RuntimeState.RUNNING) {
            return true;
        }
        Double expiry = members.get(c.name());
        if (expiry != null) {
            return expiry > now;
        }
        return !ownGroup && c.idleMs() < thresholds.staleConsumerIdle().toMillis();
    }

    /**
     * Uses {@code clock} for this host's time (the fallback when Redis cannot tell its own; tests of a host clock off
     * Redis').
     *
     * @return this
     */
    StreamsHealth withHostClock(java.util.function.LongSupplier clock) {
        this.hostClock = clock;
        return this;
    }

    /** @param redisNowMs Redis' clock (TIME), epoch ms: pending entries' ages */
    private Report report(List<SourceCheck> checks, Map<String, Double> members, long redisNowMs) {
        synchronized (gaugeValues) {
            Set<String> published = new java.util.HashSet<>();
            Report r = report(checks, members, published, redisNowMs);
            removeGaugesNotIn(published);
            return r;
        }
    }

    private Report report(List<SourceCheck> checks, Map<String, Double> members, Set<String> published, long redisNowMs) {
        Status status = Status.UP;
        List<String> problems = new ArrayList<>();
        List<String> observations = new ArrayList<>();
        Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
        RuntimeState state = runtimeState == null ? null : runtimeState.get();
        if (state == RuntimeState.ERROR) {
            status = Status.DOWN;
            problems.add("the runtime stopped with an error; see the log");
        }
        // members' expiries are Redis' TIME plus the TTL (membership.lua): by this host's clock a pod 10 s ahead of
        // Redis counted every other pod's consumer as stale, and the health went DOWN with pending entries of a live
        // owner (found in review, 2026-12-08: HealthMembershipClockTest)
        long now = redisNowMs;
        for (SourceCheck c : checks) {
            if (c.unreadable() != null) {
                String what = c.stream() + "/" + c.partition() + ": could not be read (" + c.unreadable() + ")";
                if (c.own()) {
                    status = Status.DOWN;   // its tasks cannot work either
                    problems.add(what);
                } else {
                    observations.add(what);
                }
                continue;   // its gauges are not published: they leave the registry (no stale reading)
            }
            if (c.anotherType() != null) {
                // no task can read it (group creation fails) or write it (the commit refuses it, CRITICAL alert)
                status = Status.DOWN;
                problems.add(c.stream() + "/" + c.partition() + ": " + c.anotherType() + ", not a stream: no task can "
                        + "read or write it; rename or delete the key (docs/OPERATIONS.md \"Health\")");
                continue;
            }
            if (c.group() == null) {
                gauge(published, "stream.ungrouped.entries", "entries of a catalog stream partition that has no consumer group",
                        c.length(), "stream", c.stream(), "partition", Integer.toString(c.partition()));
                if (c.length() > 0) {
                    observations.add(c.stream() + "/" + c.partition() + ": " + c.length() + " entries and no consumer group");
                }
                continue;
            }
            if (c.lag().lag() < 0) {
                continue; // our group does not exist (yet): the stream was never read; nothing to judge
            }
            long live = c.consumers().stream().filter(x -> live(x, members, c.own(), state, now)).count();
            // a consumer that is not live is stale when it holds pending entries (they wait for a claim) or has been idle
            // for the threshold; one that holds nothing and read lately is an instance that just left or died, which the
            // cleanup removes once idle that long: counting it stale at once put a group over maxStaleConsumers after a
            // few quick rolling restarts (review of 2026-12-06)
            long stale = c.consumers().stream().filter(x -> !live(x, members, c.own(), state, now)
                    && (x.pending() > 0 || x.idleMs() >= thresholds.staleConsumerIdle().toMillis())).count();
            long departed = c.consumers().size() - live - stale;
            long ageMs = c.lag().oldestPendingAgeMs(redisNowMs);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("lag", c.lag().lag());
            if (c.lag().lagAtLeast()) {
                d.put("lagAtLeast", true);   // Redis could not tell the lag; counting stopped here
            }
            d.put("pending", c.lag().pending());
            d.put("oldestPendingAgeMs", ageMs);
            d.put("liveConsumers", live);
            d.put("staleConsumers", stale);
            d.put("departedConsumers", departed);
            d.put("ownGroup", c.own());
            sources.put(c.name(), d);
            String[] tags = {"group", c.group(), "stream", c.stream(), "partition", Integer.toString(c.partition())};
            gauge(published, "group.lag", "entries not yet delivered to a consumer group (every group on the catalog's streams)", c.lag().lag(), tags);
            gauge(published, "group.pending", "entries delivered to a consumer group and not acknowledged", c.lag().pending(), tags);
            gauge(published, "group.consumers.live", "live consumers of a group (membership heartbeat, or idle below the stale threshold)", live, tags);
            gauge(published, "group.consumers.stale", "stale consumers of a group", stale, tags);

            List<String> found = new ArrayList<>();
            Status worst = Status.UP;
            boolean waiting = c.lag().lag() > 0 || c.lag().pending() > 0;
            if (waiting && live == 0) {
                worst = Status.DOWN;
                found.add(c.name() + ": " + c.lag().lag() + " entries unread and " + c.lag().pending()
                        + " pending with no live consumer (" + stale + " stale)");
            }
            if (c.lag().lag() > thresholds.maxLag()) {
                worst = worst(worst, Status.OUT_OF_SERVICE);
                found.add(c.name() + ": lag " + c.lag().lag() + " > " + thresholds.maxLag());
            }
            if (ageMs > thresholds.maxOldestPendingAge().toMillis()) {
                worst = worst(worst, Status.OUT_OF_SERVICE);
                found.add(c.name() + ": oldest pending entry is " + ageMs / 1000 + " s old > "
                        + thresholds.maxOldestPendingAge().toSeconds() + " s");
            }
            if (stale > thresholds.maxStaleConsumers()) {
                worst = worst(worst, Status.OUT_OF_SERVICE);
                found.add(c.name() + ": " + stale + " stale consumers > " + thresholds.maxStaleConsumers());
            }
            if (c.own()) {
                status = worst(status, worst);
                problems.addAll(found);
            } else {
                found.forEach(f -> observations.add("other application's group " + f));
            }
        }
        return new Report(status, List.copyOf(problems), sources, List.copyOf(observations));
    }

    private void gauge(Set<String> published, String name, String description, long value, String... tags) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String id = name + "|" + String.join("|", tags);
        published.add(id);
        PublishedGauge gauge = gaugeValues.computeIfAbsent(id, k -> {
            double[] h = new double[1];
            return new PublishedGauge(h, Gauge.builder(StreamsMetrics.PREFIX + name, h, a -> a[0]).description(description)
                    .tag("application", topology.applicationId()).tags(tags).register(r));
        });
        gauge.value()[0] = value;
    }

    /** Removes from the registry the gauges the latest check did not publish: what they showed is gone. */
    private void removeGaugesNotIn(Set<String> published) {
        MeterRegistry r = registry;
        gaugeValues.entrySet().removeIf(e -> {
            if (published.contains(e.getKey())) {
                return false;
            }
            if (r != null) {
                r.remove(e.getValue().gauge());
            }
            return true;
        });
    }

    /** A gauge a check published and the value it reads. */
    private record PublishedGauge(double[] value, Gauge gauge) {
    }

    private static Status worst(Status a, Status b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
