package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.ClusterCommitConnection;
import io.quantumtrader.streams.redis.CommitConnection;
import io.quantumtrader.streams.redis.TryAgainRetry;
import io.quantumtrader.streams.redis.KeepReading;
import io.quantumtrader.streams.redis.CommitScript;
import io.quantumtrader.streams.redis.OrderedScriptConnection;
import io.quantumtrader.streams.redis.ScriptRefusedException;
import io.quantumtrader.streams.redis.FencedReadConnection;
import io.quantumtrader.streams.redis.InputNotifier;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.metrics.StreamsMetrics;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link Topology} on Redis Streams, as Kafka Streams' {@code KafkaStreams}: one {@link StreamTask} per
 * (sub-topology, partition), each its own Reactor pipeline. Several instances (processes) with the same namespace and
 * application id share the tasks: each heartbeats into the membership, computes the same sticky, balanced assignment
 * ({@link StickyTaskAssignor}) and runs its share under expiring leases with fencing tokens; tasks move cooperatively
 * when instances join or leave, and after the lease TTL when one dies (DESIGN §2 "Assignment", docs/OPERATIONS.md
 * "Scaling"). A failed task is restarted with backoff from its last commit. Background jobs (rebalancing, lease
 * renewal, lag refresh, trimming) are {@link PeriodicJob}s: they survive errors and Redis outages.
 *
 * <pre>{@code
 * try (StreamsRuntime runtime = new StreamsRuntime(topology, StreamsConfig.defaults(), redis)) {
 *     runtime.start();
 *     ...
 * } // close(): stop reading, commit what is in flight, release the leases, leave the group
 * }</pre>
 */
public final class StreamsRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final Topology topology;
    private final StreamsConfig config;
    private final ReactiveStringRedisTemplate redis;
    private final RuntimeCounters counters = new RuntimeCounters();
    private final StreamsMetrics metrics;
    /** Redis' clock, for the ages of pending entries (gauges, {@link #undrained()}), as the health check measures them. */
    private volatile RedisClock redisClock;
    /** How often consumer lag, pending entries and oldest pending age are read for the gauges. */
    public static final Duration LAG_REFRESH = Duration.ofSeconds(5);
    /** How long one lag reading (for the gauges or {@link #awaitDrained}) may take before it is given up. */
    static final Duration LAG_TIMEOUT = Duration.ofSeconds(10);
    /** The lag gauges' readings: NaN after {@link LagGauges#STALE_AFTER_FAILURES} failed refreshes in a row. */
    private final LagGauges lagGauges = LagGauges.perSource(this::lagSources, LAG_REFRESH, LAG_TIMEOUT);
    private final List<StreamTask> tasks = new ArrayList<>();
    private final EndOfInputNotices endNotices = new EndOfInputNotices();
    /** WARN lines for entries refused at a source, rate limited per stream and reason, shared by the tasks. */
    private final IngestRefusalLog refusals = new IngestRefusalLog();
    private final List<PeriodicJob> jobs = new ArrayList<>();
    private final Map<String, Disposable> running = new LinkedHashMap<>();
    private final AtomicReference<RuntimeState> state = new AtomicReference<>(RuntimeState.CREATED);
    /** Why the one {@link #start()} failed (one line), or null: set, a later start() is refused. */
    private String startFailure;
    private OrderedScriptConnection commitConnection;
    private EngineAlerts alerts;
    /** Reads Redis' maxmemory-policy again every minute while running (the start reads it first). */
    private EvictionPolicyWatch evictionWatch;
    private TaskManager taskManager;
    private RebalanceCoordinator coordinator;
    private volatile CommitOptions commitOptions = CommitOptions.defaults();
    private volatile FailureDescription failureDescription = FailureDescription.NONE;
    private volatile boolean inputNotifierEnabled = true;
    private volatile StartupRetry startupRetry = StartupRetry.defaults();
    private InputNotifier inputNotifier;
    private FencedReadConnection fencedReads;
    /** Longest single {@code XREAD BLOCK} of the {@link InputNotifier} before it is re-issued. */
    static final Duration NOTIFIER_BLOCK = Duration.ofSeconds(1);

    /** A runtime whose meters go to a private registry (see {@link #metrics()}). */
    public StreamsRuntime(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis) {
        this(topology, config, redis, new SimpleMeterRegistry());
    }

    /** @param registry where the engine's meters are registered (docs/OPERATIONS.md), e.g. Spring Boot's Prometheus registry */
    public StreamsRuntime(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis, MeterRegistry registry) {
        this.topology = topology;
        this.config = config;
        this.redis = redis;
        this.metrics = new StreamsMetrics(registry, topology.applicationId());
        this.redisClock = new RedisClock(redis, System::currentTimeMillis, Duration.ofSeconds(30));
    }

    /** For tests: this host's clock, epoch ms (the pending entries' ages stay on Redis' clock: {@link RedisClock}). */
    StreamsRuntime withHostClock(java.util.function.LongSupplier clock) {
        this.redisClock = new RedisClock(redis, clock, Duration.ofSeconds(30));
        return this;
    }

    /**
     * Sets how {@link #start()} waits for a slow or restarting Redis ({@link StartupRetry#defaults()}: 5 s per
     * attempt, backoff 1 s to 15 s, 2 min in all); call before {@link #start()}.
     *
     * @return this
     */
    public StreamsRuntime withStartupRetry(StartupRetry retry) {
        if (state.get() != RuntimeState.CREATED) {
            throw new IllegalStateException("the startup retry must be set before start()");
        }
        this.startupRetry = java.util.Objects.requireNonNull(retry);
        return this;
    }

    /**
     * Sets how commits reach Redis (outbox for outputs bound for other Redis Cluster slots, WAIT for replicas); call
     * before {@link #start()}.
     *
     * @return this
     */
    public StreamsRuntime withCommitOptions(CommitOptions options) {
        if (state.get() != RuntimeState.CREATED) {
            throw new IllegalStateException("commit options must be set before start()");
        }
        this.commitOptions = java.util.Objects.requireNonNull(options);
        return this;
    }

    /**
     * Sets how a task's failure is described in its restart WARN and in {@link GroupState#failing()} (default
     * {@link FailureDescription#NONE}: the messages of the failure and its causes); call before {@link #start()}.
     *
     * @return this
     */
    public StreamsRuntime withFailureDescription(FailureDescription description) {
        if (state.get() != RuntimeState.CREATED) {
            throw new IllegalStateException("the failure description must be set before start()");
        }
        this.failureDescription = java.util.Objects.requireNonNull(description);
        return this;
    }

    /**
     * @return {@code failure} in one line, for people: the {@link #withFailureDescription description}'s words, else the
     *         messages of the failure and its causes ({@link CauseMessages})
     */
    private String describe(Throwable failure) {
        try {
            return failureDescription.describe(failure).orElseGet(() -> CauseMessages.of(failure));
        } catch (RuntimeException broken) {   // a description must not keep a task from restarting
            return CauseMessages.of(failure);
        }
    }

    /**
     * Switches the {@link InputNotifier} (default on): one more Lettuce connection per instance (two while the key set
     * it watches changes) blocked in {@code XREAD BLOCK} over the partitions whose readers are idle, so a record
     * reaching an idle partition is read at once rather than after the reader's idle back-off. Off, or on a Redis
     * Cluster (where it is never used), idle partitions are polled with the back-off alone ({@link StreamsConfig#withIdle}).
     * Call before {@link #start()}.
     *
     * @return this
     */
    public StreamsRuntime withInputNotifier(boolean enabled) {
        if (state.get() != RuntimeState.CREATED) {
            throw new IllegalStateException("the input notifier must be switched before start()");
        }
        this.inputNotifierEnabled = enabled;
        return this;
    }

    /** @return the input notifier in use, or null (switched off, a Redis Cluster, not started) */
    public InputNotifier inputNotifier() {
        return inputNotifier;
    }

    /** @return how commits reach Redis */
    public CommitOptions commitOptions() {
        return commitOptions;
    }

    /**
     * Creates the consumer groups (XGROUP CREATE ... MKSTREAM, from the start of each stream), joins the group of
     * instances and starts the background jobs; this instance's tasks start as soon as their leases are taken (at
     * once when it is alone, after the current owners hand them over otherwise).
     *
     * @throws TopologyException     when the source streams of one sub-topology have different partition counts, or a
     *                               global table reads a stream the catalog trims (retention or maxlen): each run
     *                               rebuilds the table from the stream, so its older keys would be missing after a
     *                               restart (a kill switch activated before the retention would be forgotten); or
     *                               when a stream's partition count differs from the one it first ran with in this
     *                               namespace ({@link PartitionCountCheck}); or when a release renumbered
     *                               sub-topologies, so that one would create a new consumer group from the start of a
     *                               stream another group of this application, now unused, had committed on, or
     *                               would resume a group made for another source node (two sub-topologies of one
     *                               stream that swapped ids, a removed one replaced by another) ({@link
     *                               RenumberedSubtopologyCheck})
     * @throws StartupRetry.RedisNotReadyException when Redis did not answer the partition-count check, the read of
     *                               when each topology first ran ({@code <ns>:topologies}, {@link NewerTopologies}),
     *                               the read of the source streams' consumer groups (renumbering check), the commit
     *                               script's preload, a consumer group's creation, the legacy-layout check or the
     *                               eviction-policy check within the startup retry's limit ({@link #withStartupRetry}; each
     *                               step is retried with backoff until then, a warning per retry)
     * @throws IllegalArgumentException when alignment has an idle timeout not longer than the punctuation interval
     *                               ({@link #refuseIdleTimeoutNotAbovePunctuation}); before anything touches Redis
     * @throws IllegalStateException when {@code start()} was called before, also when that call failed: a runtime
     *                               starts once, as Kafka Streams' {@code KafkaStreams.start()}, which throws
     *                               IllegalStateException unless the client is CREATED (its first start leaves that
     *                               state at once, whether or not it succeeds). Close this one and create a new
     *                               {@code StreamsRuntime} to try again. Until 2026-12-06 a start that failed after
     *                               it made its tasks left the runtime CREATED, and a second start added every task
     *                               again ({@code StartOnceTest})
     */
    public synchronized void start() {
        if (startFailure != null) {
            throw new IllegalStateException("runtime '" + topology.applicationId() + "': start() was called before and "
                    + "failed (" + startFailure + "); a runtime starts once: close() it and create a new StreamsRuntime");
        }
        if (state.get() != RuntimeState.CREATED) {
            throw new IllegalStateException("runtime is " + state.get() + "; start() may be called once");
        }
        try {
            startOnce();
        } catch (RuntimeException | Error e) {
            startFailure = CauseMessages.of(e);
            throw e;
        }
    }

    /**
     * Refuses alignment with an idle timeout not longer than the punctuation interval: a producer task holding
     * records refreshes its hold mark at every punctuation ({@link ProducerIdleness}), so with such a timeout its
     * readers would count it idle between two heartbeats and pass its held record. Checked here, not in
     * {@link StreamsConfig}'s constructor, whose {@code with*} calls build intermediate configurations in any order.
     *
     * @throws IllegalArgumentException naming both settings and what to do
     */
    static void refuseIdleTimeoutNotAbovePunctuation(StreamsConfig config) {
        InputAlignment alignment = config.alignment();
        if (alignment.enabled() && alignment.idleTimeout() != null
                && alignment.idleTimeout().compareTo(config.punctuationInterval()) <= 0) {
            throw new IllegalArgumentException("alignment idleTimeout (" + alignment.idleTimeout()
                    + ") must be longer than punctuationInterval (" + config.punctuationInterval()
                    + "): holding tasks refresh their hold mark at each punctuation; raise the idle timeout or shorten the interval");
        }
    }

    /**
     * @return this runtime's topology fingerprint ({@link TopologyVersions#fingerprint}): its description and its task
     *         ids, one per task sub-topology and partition of its first source stream (the tasks {@code start()} makes)
     */
    private String fingerprint() {
        List<TaskId> ids = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            int partitions = config.catalog().spec(s.sourceStreams().iterator().next()).partitions();
            for (int p = 0; p < partitions; p++) {
                ids.add(new TaskId(s.id(), p));
            }
        }
        return TopologyVersions.fingerprint(topology.describe().toString(), ids);
    }

    private void startOnce() {
        refuseIdleTimeoutNotAbovePunctuation(config);
        topology.validate(stream -> config.catalog().spec(stream).partitions());
        topology.globalStores().values().forEach(global -> {
            io.quantumtrader.streams.redis.StreamSpec spec = config.catalog().spec(global.stream());
            if (spec.retention() != null || spec.maxLen() > 0) {
                throw new io.quantumtrader.streams.dsl.TopologyException("global table '" + global.name() + "' reads '"
                        + global.stream() + "', which the catalog trims (" + (spec.retention() != null
                        ? "retention " + spec.retention() : "maxlen " + spec.maxLen()) + "): every run rebuilds the table "
                        + "from the stream, so keys older than that would be missing after a restart. Give '"
                        + global.stream() + "' retention permanent and no maxlen");
            }
        });
        // a slow or restarting Redis (loading its data, paused, failing over) is waited for, up to one limit in all
        long startupDeadline = startupRetry.deadline();
        List<String> changed = startupRetry.retried(PartitionCountCheck.changed(topology, config, redis),
                "recording the partition counts of namespace '" + config.namespace() + "' (" + config.namespace() + ":"
                        + PartitionCountCheck.HASH + ")", startupDeadline).block();
        if (changed != null && !changed.isEmpty()) {
            throw new io.quantumtrader.streams.dsl.TopologyException("namespace '" + config.namespace() + "': " + String.join("; ", changed)
                    + ". The old partitions' unread entries and state would be stranded: keep the count, or run the "
                    + "new one in a new namespace (docs/OPERATIONS.md \"Scaling\")");
        }
        // before any group is created: a release that renumbered sub-topologies would create new groups from the start
        // of their streams and process committed entries again (review of 2026-12-06)
        // a group of this application a newer release made (an old-release pod restarted during a rolling update) is
        // not abandoned: destroying it would make that release process its stream again (review of 2026-12-06)
        String newer = startupRetry.retried(NewerTopologies.describe(redis, new StreamKeys(config.namespace()),
                        fingerprint()),
                "reading when each topology first ran in namespace '" + config.namespace() + "' ("
                        + new StreamKeys(config.namespace()).topologies() + ")", startupDeadline).block();
        RenumberedSubtopologyCheck.Findings renumbered = RenumberedSubtopologyCheck.check(topology, config, new StreamAdmin(redis),
                newer == null ? "" : newer, startupRetry.attemptTimeout(),
                (read, key) -> startupRetry.retried(read, "reading the consumer groups of stream " + key, startupDeadline))
                .block();
        if (renumbered != null) {
            renumbered.warnings().forEach(log::warn);
            if (!renumbered.refusals().isEmpty()) {
                throw new io.quantumtrader.streams.dsl.TopologyException("application '" + topology.applicationId()
                        + "' in namespace '" + config.namespace() + "': " + String.join("; ", renumbered.refusals()));
            }
        }
        alerts = new EngineAlerts(redis, config, topology.applicationId());
        commitConnection = CommitConnection.open(redis).<OrderedScriptConnection>map(c -> c)
                .or(() -> ClusterCommitConnection.open(redis)).orElse(null);
        if (commitConnection == null) {
            log.warn("not on a Lettuce connection: commits are sent one at a time (no pipelining)");
        } else {
            if (!KeepReading.installedOn(redis.getConnectionFactory())) {
                log.warn("the Lettuce client's resources lack KeepReading: a streaming reply (XRANGE, HGETALL ...) can "
                        + "leave the shared connection unread for good; build them with KeepReading.clientResources()");
            }
            // one attempt within the attempt timeout (before, review of 2026-12-06, without any timeout); a failure only
            // costs speed (commits fall back to EVAL), so it never fails the start: on a Redis Cluster SCRIPT LOAD goes to
            // every node the topology lists, a failed replica included, and a retried preload failed every start while
            // a replica was down (review of the retried version, 2026-12-06)
            CommitScript.preload(commitConnection)
                    .timeout(startupRetry.attemptTimeout())
                    .onErrorResume(e -> {
                        log.warn("could not preload the commit script ({}): commits fall back to EVAL until Redis has it",
                                e instanceof java.util.concurrent.TimeoutException
                                        ? "no reply within " + startupRetry.attemptTimeout() + "; on a Redis Cluster, is a node down?"
                                        : e.toString());
                        return Mono.empty();
                    })
                    .block();
        }
        if (inputNotifierEnabled) {
            inputNotifier = InputNotifier.open(redis, NOTIFIER_BLOCK, config.instanceId()).orElse(null);
        }
        fencedReads = FencedReadConnection.open(redis).orElse(null);
        StreamKeys keys = new StreamKeys(config.namespace());
        StreamAdmin admin = new StreamAdmin(redis);
        List<Mono<?>> groups = new ArrayList<>();
        // every group a start refuses to make again (its task committed entries the stream still holds), named in one
        // failure: one refusal per start took a start per partition and input to find (review 2026-12-07)
        List<String> refusedGroups = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Subtopology s : topology.taskSubtopologies()) {
            int partitions = config.catalog().spec(s.sourceStreams().iterator().next()).partitions();
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (int p = 0; p < partitions; p++) {
                for (String stream : s.sourceStreams()) {
                    String key = keys.stream(stream, p);
                    // records the source the group is made for (RenumberedSubtopologyCheck reads it at the next start)
                    String taskId = new TaskId(s.id(), p).toString();
                    groups.add(startupRetry.retried(admin.ensureGroup(key, group,
                                    RenumberedSubtopologyCheck.readerOf(s, stream), keys.meta(group, p),
                                    startupRetry.attemptTimeout()),
                            "creating consumer group " + group + " of stream " + key, startupDeadline)
                            .doOnNext(created -> {
                                if (created == StreamAdmin.GroupCreation.CREATED_STREAM_WAS_GONE) {
                                    StreamTask.reportStreamWasGone(log, metrics, taskId, stream, key);
                                } else if (created == StreamAdmin.GroupCreation.SET_BACK) {
                                    StreamTask.reportGroupSetBack(log, taskId, group, key);
                                }
                            })
                            .onErrorResume(e -> e instanceof ScriptRefusedException r
                                    && r.script() == ScriptRefusedException.Script.CREATE_GROUP, e -> {
                                refusedGroups.add(e.getMessage().replaceFirst("^consumer group creation refused: ", ""));
                                return Mono.empty();
                            }));
                }
                StreamTask task = new StreamTask(s, p, topology, config, redis, counters, metrics, commitConnection,
                        commitOptions, inputNotifier, fencedReads, endNotices, refusals);
                tasks.add(task);
                endNotices.register(task, s.sourceStreams());
            }
        }
        Flux.concat(groups).blockLast();
        if (!refusedGroups.isEmpty()) {
            throw new ScriptRefusedException(ScriptRefusedException.Script.CREATE_GROUP, refusedGroups.size() == 1
                    ? refusedGroups.get(0) : refusedGroups.size() + " consumer groups: " + String.join("; ", refusedGroups), false);
        }
        if (commitOptions.outbox(io.quantumtrader.streams.redis.RedisDeployment.isCluster(redis))) {
            // what removed sub-topologies committed and never forwarded (review 2026-12-07: RemovedSubtopologyOutboxTest)
            io.quantumtrader.streams.redis.OutboxForwarder forwarder = new io.quantumtrader.streams.redis.OutboxForwarder(redis,
                    commitOptions.forwardHook(), commitConnection, new io.quantumtrader.streams.redis.CommitDurability(
                            commitConnection, commitOptions.waitReplicas(), commitOptions.waitTimeout()));
            // only the lengths are a start-up step (retried, each within the attempt timeout); a forward takes as long
            // as its outbox needs (a whole drain under the attempt timeout failed the start of a 400,000-entry outbox as
            // "no reply from Redis": found in review, 2026-12-07)
            OrphanedOutboxes.forward(topology, config, forwarder, key -> startupRetry.retried(
                            redis.opsForStream().size(key).defaultIfEmpty(0L), "reading the length of outbox " + key, startupDeadline),
                    new ForwardCounts(counters)).block();
        }
        // the two checks below are startup steps like the others: a slow Redis is waited for, up to the limit, then the
        // start fails naming the check. Before (review of 2026-12-06) a fixed 5 s, and a timeout read as "nothing found"
        List<String> legacy = LegacyKeyLayoutCheck.find(topology, config, redis, (xlen, key) -> startupRetry.retried(xlen,
                "checking for source streams under the key layout before the namespace joined the hash tag (XLEN " + key
                        + ")", startupDeadline)).block();
        if (legacy != null && !legacy.isEmpty()) {
            String message = "source streams under the key layout before the namespace joined the hash tag still hold "
                    + "entries this runtime will not read: " + String.join(", ", legacy) + ". Drain them with the previous "
                    + "release, or replay into the new layout (docs/OPERATIONS.md \"Redis Cluster and TLS\")";
            log.error(message);
            alerts.critical(message);
        }
        // one attempt within the attempt timeout, never failing the start: on a Redis Cluster CONFIG GET goes to every
        // node the topology lists, a failed replica included, and a retried check failed every start while a replica was
        // down (review of the retried version, 2026-12-06). No reply is said, not read as "nothing found"
        java.util.Optional<List<String>> read = EvictionPolicyCheck.evictingPolicies(redis)
                .map(java.util.Optional::of)
                .timeout(startupRetry.attemptTimeout())
                .onErrorResume(e -> {
                    if (StartupRetry.waitingForRedis(e)) {
                        log.warn("could not read Redis' maxmemory-policy (no reply within {}; on a Redis Cluster, is a node "
                                + "down?): not checked. It must be noeviction (docs/OPERATIONS.md \"Commits are all or "
                                + "nothing\")", startupRetry.attemptTimeout());
                    } else {   // CONFIG disabled or renamed (some managed services) says nothing about the policy
                        log.debug("could not read Redis' maxmemory-policy: {}", e.toString());
                    }
                    return Mono.just(java.util.Optional.empty());   // not known
                })
                .block();
        List<String> evicting = read == null ? List.of() : read.orElse(List.of());
        if (!evicting.isEmpty()) {
            String message = EvictionPolicyWatch.message(evicting);
            log.error(message);
            alerts.critical(message);
        }
        evictionWatch = new EvictionPolicyWatch(redis, alerts::critical, evicting, read != null && read.isPresent());
        AssignmentConfig assignment = config.assignment();
        // RUNNING before any task starts: a task that fails while starting sets ERROR, which nothing overwrites
        state.set(RuntimeState.RUNNING);
        // ERROR (a task stopped for good) keeps the other tasks going: they still start, and restart after a transient
        // failure; only the task stopped for good (a commit refused for good, a StateStoreException) stays stopped
        // (found in review, 2026-12-05: in ERROR no task of this instance was started or restarted any more, yet it
        // stayed a member, so the tasks assigned to it were run by no instance at all)
        taskManager = new TaskManager(tasks, admin, config.instanceId(), assignment.leaseTtl(), counters,
                this::describe,
                () -> state.get() == RuntimeState.RUNNING || state.get() == RuntimeState.ERROR,
                (task, error) -> {
                    if (isPersistent(error)) {
                        // retrying would fail the same way; the refused script wrote nothing (each checks first). The
                        // message names the script ("read refused: ..."): before, every refusal said "commit refused"
                        log.error("task {} stopped: {}; Redis would refuse it every time. Fix the key, group or stream "
                                + "named, then restart the service", task.id(), error.getMessage());
                        alerts.critical("task " + task.id() + " stopped: " + error.getMessage());
                    } else if (error instanceof io.quantumtrader.streams.state.StateStoreException
                            || error instanceof io.quantumtrader.streams.processor.ForwardOutsideProcessingException) {
                        log.error("task {} stopped: {}", task.id(), error.getMessage());
                        alerts.critical("task " + task.id() + " stopped: " + error.getMessage());
                    }
                    state.compareAndSet(RuntimeState.RUNNING, RuntimeState.ERROR);
                });
        String fingerprint = fingerprint();
        coordinator = new RebalanceCoordinator(new Membership(redis, keys, config.instanceId(), assignment.leaseTtl(),
                        fingerprint, topology.applicationId(),
                        message -> {
                            log.error(message);
                            alerts.critical(message);
                        }),
                taskManager, admin, config.instanceId(), assignment.renewInterval());
        Duration renew = assignment.renewInterval();
        schedule(new PeriodicJob("rebalance", assignment.effectiveRebalanceInterval(), assignment.leaseTtl().dividedBy(2),
                coordinator::rebalance), Duration.ZERO);
        schedule(new PeriodicJob("lease renewal", renew, renew, taskManager::renewLeases), renew);
        Duration orphanCheck = assignment.orphanedPendingIdle().dividedBy(2);
        schedule(new PeriodicJob("orphaned pending claim", orphanCheck, Duration.ofSeconds(30),
                () -> taskManager.claimOrphanedPending(assignment.orphanedPendingIdle())), orphanCheck);
        RetentionTrimmer trimmer = new RetentionTrimmer(topology, admin, keys, config.catalog(), metrics);
        schedule(new PeriodicJob("retention trimming", config.trimInterval(), Duration.ofMinutes(5),
                () -> trimmer.trimOnce().materialize()   // stale consumers are removed even when a trim failed
                        .flatMap(trimmed -> removeStaleConsumers(admin, keys).then(trimmed.isOnError()
                                ? Mono.error(trimmed.getThrowable()) : Mono.empty()))), config.trimInterval());
        schedule(lagGauges.job(), Duration.ZERO);
        schedule(new PeriodicJob("eviction policy check", EvictionPolicyWatch.INTERVAL, Duration.ofSeconds(30),
                evictionWatch::checkOnce), EvictionPolicyWatch.INTERVAL);
        registerMeters();
        log.info("runtime '{}' started as instance '{}' ({} task(s) in the topology, lease TTL {} ms)",
                topology.applicationId(), config.instanceId(), tasks.size(), assignment.leaseTtl().toMillis());
    }

    private void schedule(PeriodicJob job, Duration initialDelay) {
        jobs.add(job);
        running.put(job.name(), job.start(initialDelay));
    }

    private void stopJob(String name) {
        Disposable d = running.remove(name);
        if (d != null) {
            d.dispose();
        }
    }

    /** Graceful shutdown with a 30 s limit; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Graceful shutdown, which is also a cooperative hand-over: every task stops reading, finishes and commits the
     * batches in flight and releases its lease; then the instance leaves the group, so the others take its tasks at
     * their next rebalance step (≤ {@link AssignmentConfig#effectiveRebalanceInterval()}), not after the lease TTL.
     *
     * @return {@code true} when every task stopped within {@code timeout}; otherwise they are cancelled (uncommitted
     *         batches are re-processed by the next owner, so nothing is lost)
     */
    public synchronized boolean close(Duration timeout) {
        RuntimeState was = state.get();
        if (was == RuntimeState.NOT_RUNNING || was == RuntimeState.CREATED) {
            closeReadConnections(); // a start() that failed half-way may have opened them
            closeCommitConnection(); // and this one (before, review of 2026-12-06, it was left open)
            state.set(RuntimeState.NOT_RUNNING);
            return true;
        }
        state.set(RuntimeState.PENDING_SHUTDOWN);
        stopJob("rebalance");
        stopJob("orphaned pending claim");
        // leave the membership first: the others then assign this instance's tasks among themselves at their next step
        // and take each as soon as its lease is released, not once the slowest task here has stopped (the leases keep
        // one owner per task meanwhile; found in review, 2026-12-05: a task released at once waited for the others)
        try {
            coordinator.leave().timeout(Duration.ofSeconds(2)).block();
        } catch (RuntimeException e) {
            log.warn("could not leave the group (the membership entry expires after {} ms): {}",
                    config.assignment().leaseTtl().toMillis(), describe(e));
        }
        taskManager.closeAll();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = true;
        while (!taskManager.idle()) {
            if (System.nanoTime() >= deadline) {
                clean = false;
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                clean = false;
                break;
            }
        }
        if (!clean) {
            log.warn("runtime '{}': tasks did not stop within {}; cancelling them (their leases expire after {} ms)",
                    topology.applicationId(), timeout, config.assignment().leaseTtl().toMillis());
            taskManager.killAll();
        }
        stopJob("lease renewal");
        taskManager.stopRenewals();   // every task stopped: the renewals still waiting for a reply are not needed
        new ArrayList<>(running.keySet()).forEach(this::stopJob);
        closeCommitConnection();
        closeReadConnections();
        refusals.close();   // the refusals not logged yet, now; nothing left scheduled
        state.set(RuntimeState.NOT_RUNNING);
        metrics.release();   // its gauges read this runtime: a runtime started after it on the registry registers its own
        return clean;
    }

    /**
     * Simulates the process dying: cancels every task and job at once, with no commit of the batches in flight, no
     * lease released and no goodbye to the group. What the tasks had read stays pending in Redis; another instance
     * takes the tasks when the leases expire and reclaims those entries. For crash tests and chaos drills.
     */
    public synchronized void kill() {
        new ArrayList<>(running.keySet()).forEach(this::stopJob);
        if (taskManager != null) {
            taskManager.killAll();
        }
        closeCommitConnection();
        closeReadConnections();
        refusals.close();
        state.set(RuntimeState.NOT_RUNNING);
        metrics.release();   // as close(): a runtime started after it on the registry shows its own figures
    }

    private void closeReadConnections() {
        if (inputNotifier != null) {
            inputNotifier.close();
        }
        if (fencedReads != null) {
            fencedReads.close();
            fencedReads = null;
        }
    }

    private void closeCommitConnection() {
        if (commitConnection != null) {
            commitConnection.close();
            commitConnection = null;
        }
    }

    /**
     * Lag of every (consumer group, source stream, partition) this runtime reads.
     *
     * @return one entry per group and stream partition, in sub-topology order
     */
    public Mono<List<SourceLag>> lag() {
        return Flux.concat(lagSources().stream().map(LagGauges.Source::reading).toList()).collectList();
    }

    /** @return every (consumer group, source stream, partition) this runtime reads, with its lag reading */
    private List<LagGauges.Source> lagSources() {
        StreamKeys keys = new StreamKeys(config.namespace());
        StreamAdmin admin = new StreamAdmin(redis);
        List<LagGauges.Source> all = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    int partition = p;
                    all.add(new LagGauges.Source(group, stream, partition, admin.groupLag(keys.stream(stream, p), group)
                            .zipWith(Mono.defer(() -> redisClock.nowMs()), (l, redisNowMs) -> new SourceLag(group, stream, partition, l.pending(),
                                    l.lag(), l.oldestPendingAgeMs(redisNowMs), l.consumers()))));
                }
            }
        }
        return all;
    }

    /**
     * Says that the producers of {@code stream} have published their end of input (watermark {@link Long#MAX_VALUE},
     * e.g. {@code EventPublisher.watermark(stream, Long.MAX_VALUE)} after a replay's last record), so that this
     * instance's tasks reading it pass the end on as soon as they have processed the rest, instead of at their next
     * punctuation (up to one {@link StreamsConfig#punctuationInterval()} per sub-topology of a chain). Optional: the
     * watermark in Redis is what counts (read at each punctuation), this only says when to look; an early or wrong
     * call costs one watermark read per task. Only tasks that align their inputs ({@link InputAlignment}) pass an end on.
     *
     * @param stream a stream name of the catalog
     */
    public void inputEnded(String stream) {
        endNotices.ended(List.of(stream));
    }

    /**
     * What keeps this instance from being drained now, one line each, for people ({@link #awaitDrained} waits for all
     * of it): every source partition with entries unread (lag) or unacknowledged (pending, with the age of the oldest,
     * ms), every task of this instance that is restoring or failed, or holds entries read ahead of its commits or held
     * back by event-time alignment (an input's watermark has not reached them yet), and commits whose reply is still
     * outstanding. For the message of a run that did not drain in time.
     *
     * @return empty when nothing is left; a line saying so when the lag could not be read (failed, or no answer
     *         within 10 s)
     */
    public List<String> undrained() {
        List<String> out = new ArrayList<>();
        List<SourceLag> lags = lagNow();
        if (lags == null) {
            out.add("source lag: not readable (it failed, or no answer within " + LAG_TIMEOUT.toSeconds() + " s)");
        } else {
            for (SourceLag l : lags) {
                if (!l.caughtUp()) {
                    out.add(String.format("source %s partition %d, group %s: %,d unread, %,d pending (oldest %,d ms old)",
                            l.stream(), l.partition(), l.group(), l.lag(), l.pending(), l.oldestPendingAgeMs()));
                }
            }
        }
        for (StreamTask t : tasks) {
            List<String> why = new ArrayList<>();
            if (t.state() == TaskState.RESTORING || t.state() == TaskState.ERROR) {
                why.add(t.state().name());
            }
            long held = t.alignerHeld();
            long uncommitted = Math.max(held, t.state() == TaskState.RUNNING ? t.readAhead() : 0);
            if (uncommitted > 0) {
                why.add(String.format("%,d entries read and not yet committed", uncommitted) + (held == 0 ? ""
                        : String.format(", %,d of them held by event-time alignment (an input's watermark has not reached them)", held)));
            }
            java.util.Set<String> pausedInputs = t.pausedInputs();
            if (!pausedInputs.isEmpty()) {
                why.add("reads of " + String.join(", ", new java.util.TreeSet<>(pausedInputs))
                        + " paused (alignment holds maxHeldPerInput of their records)");
            }
            if (!why.isEmpty()) {
                out.add("task " + t.id() + ": " + String.join(", ", why));
            }
        }
        long inFlight = counters.commitsInFlight();
        if (inFlight > 0) {
            out.add(inFlight + " commit(s) awaiting Redis' reply");
        }
        return out;
    }

    /**
     * Waits until every source of the topology is read and acknowledged (lag 0, nothing pending), no commit
     * completed while checking, no commit reply is outstanding and every entry the tasks read was counted by a
     * completed commit, i.e. the topology has drained what was published before the call and the counters include it.
     *
     * @return true when drained within {@code timeout}; false when not, or when the runtime is in ERROR or stopped
     */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RuntimeState now = state.get();
            if (now == RuntimeState.ERROR || now == RuntimeState.NOT_RUNNING) {
                return false;
            }
            long commits = counters.commits();
            List<SourceLag> lags = lagNow();
            // nothing unread or unacknowledged (every delivered entry committed), no commit completed meanwhile and
            // none whose reply is still on its way
            if (lags != null && lags.stream().allMatch(SourceLag::caughtUp) && counters.commits() == commits
                    && counters.commitsInFlight() == 0 && everyReadEntryCounted()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * @return {@link #lag()} now, or null when it failed or took longer than {@link #LAG_TIMEOUT} (Redis busy or
     *         briefly away): "not known yet", never an abort
     */
    private List<SourceLag> lagNow() {
        return lag().timeout(LAG_TIMEOUT, Mono.empty()).onErrorResume(e -> Mono.empty()).block();
    }

    /**
     * @return true when no task of this instance is restoring or waiting to restart after a failure (a failed run may have
     *         left work undone that Redis does not show as lag: an outbox not yet forwarded), and every entry its running
     *         tasks read has been counted by a completed commit (no read-ahead):
     *         Redis may already show an entry acknowledged while the reply of the commit that acknowledged it, and so
     *         the counters, are still on their way
     */
    private boolean everyReadEntryCounted() {
        for (StreamTask t : tasks) {
            if (t.state() == TaskState.RESTORING || t.state() == TaskState.RUNNING && t.readAhead() != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return true for a script (commit, read, claim, forward) refused by a check that will fail the same way on every retry */
    private static boolean isPersistent(Throwable e) {
        return e instanceof ScriptRefusedException r && !r.isTransient();
    }

    private Mono<Long> removeStaleConsumers(StreamAdmin admin, StreamKeys keys) {
        record GroupPartition(String key, String group) {
        }
        List<GroupPartition> all = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    all.add(new GroupPartition(keys.stream(stream, p), group));
                }
            }
        }
        return ResilientPass.over("remove stale consumers of", "group partitions", all, g -> g.group() + " on " + g.key(),
                g -> admin.removeStaleConsumers(g.key(), g.group(), config.instanceId(), config.staleConsumerIdle()));
    }

    /**
     * Reads lag, pending entries and oldest pending age of every source now (the gauges show the last reading, or NaN
     * after {@link LagGauges#STALE_AFTER_FAILURES} failed readings of its source in a row).
     */
    public Mono<List<SourceLag>> refreshLag() {
        return lag().doOnNext(lagGauges::record);
    }

    /** @return the engine's meters */
    public StreamsMetrics metrics() {
        return metrics;
    }

    private void registerMeters() {
        metrics.functionCounter("records.in", "input entries processed in committed batches", counters, RuntimeCounters::recordsIn);
        metrics.gauge("redis.evicting", "1 while Redis' maxmemory-policy evicts keys of any kind (allkeys-*; read at the "
                + "start and every minute), 0 when it does not, NaN while Redis has not said (CONFIG refused)", evictionWatch, EvictionPolicyWatch::evicting);
        metrics.functionCounter("records.out", "entries appended to output streams", counters, RuntimeCounters::recordsOut);
        metrics.functionCounter("commits", "committed batches", counters, RuntimeCounters::commits);
        metrics.functionCounter("deadlettered", "entries sent to dead-letter streams", counters, RuntimeCounters::deadLettered);
        metrics.functionCounter("task.restarts", "task restarts after a failure", counters, RuntimeCounters::restarts);
        metrics.functionCounter("punctuations", "punctuation runs of the tasks (every wall-clock tick and end-of-input "
                + "notice), also those with nothing to commit", counters, RuntimeCounters::punctuations);
        metrics.functionCounter("processor.retries", "retries of failing processor functions", counters,
                RuntimeCounters::processorRetries);
        metrics.functionCounter("late.records.dropped", "records dropped because their window had closed", counters,
                RuntimeCounters::droppedLate);
        metrics.functionCounter("reclaimed", "pending entries claimed at task start (XAUTOCLAIM)", counters, RuntimeCounters::reclaimed);
        metrics.functionCounter("ingest.duplicates", "input entries whose event id was processed before (dedupe window): acknowledged and skipped",
                counters, RuntimeCounters::duplicates);
        metrics.functionCounter("commit.not.replicated", "commits the master applied that fewer replicas than required acknowledged in time (WAIT): the task restarted",
                counters, RuntimeCounters::notReplicated);
        metrics.functionCounter("outbox.forwarded", "outputs forwarded from a task's outbox to a stream in another Redis Cluster slot",
                counters, RuntimeCounters::outboxForwarded);
        metrics.functionCounter("commits.lost", "commits counted here that Redis no longer has (restarted from an older RDB "
                + "or an AOF without its tail): their batches are processed again and counted twice in the other counters",
                counters, RuntimeCounters::commitsLost);
        metrics.functionCounter("consumer.groups.recreated", "consumer groups a task found missing and created again from the "
                + "start of their stream: Redis lost its data (a restart without persistence, a failover, a FLUSHALL)",
                counters, RuntimeCounters::groupsRecreated);
        metrics.functionCounter("outbox.repeats", "outputs in an outbox found forwarded before (after a crash, or by a concurrent forward) and dropped",
                counters, RuntimeCounters::outboxRepeats);
        KeepReading.of(redis.getConnectionFactory()).ifPresent(keep -> metrics.functionCounter("redis.reads.resumed",
                "reads of a Lettuce connection that ended with Lettuce's read backpressure on and were resumed (KeepReading): "
                        + "a streaming reply taken a few elements at a time", keep, KeepReading::resumed));
        metrics.functionCounter("redis.tryagain.retries", "commands sent again after a Redis Cluster TRYAGAIN (slot being "
                + "migrated), by every runtime of this JVM", TryAgainRetry.class, c -> TryAgainRetry.retries());
        if (commitConnection instanceof ClusterCommitConnection cluster) {
            for (boolean ask : new boolean[] {true, false}) {
                metrics.functionCounter("redis.commit.redirects", "commits and outbox forwards redirected by the Redis "
                        + "Cluster and sent to the node it named: ask (slot being migrated), moved (slot map stale)",
                        cluster, c -> c.redirects(ask), "kind", ask ? "ask" : "moved");
            }
        }
        if (inputNotifier != null) {
            metrics.functionCounter("input.notifier.failures", "failed or timed-out XREAD BLOCK calls of the input notifier (retried; idle readers poll meanwhile)",
                    inputNotifier, InputNotifier::failures);
            metrics.functionCounter("input.notifier.wakeups", "idle readers woken by the input notifier when an entry arrived",
                    inputNotifier, InputNotifier::wakeups);
        }
        metrics.gauge("state", "runtime state: 1 RUNNING, 0 otherwise", () -> state.get() == RuntimeState.RUNNING ? 1 : 0);
        metrics.gauge("group.members", "live instances in the group at the last rebalance step",
                () -> coordinator.last().members().size());
        metrics.gauge("tasks.owned", "tasks whose lease this instance holds (restoring or running)",
                () -> taskManager.ownedTasks().size());
        metrics.functionCounter("rebalances", "changes of this instance's share of the tasks", coordinator,
                RebalanceCoordinator::rebalances);
        metrics.functionCounter("lease.renewals", "task leases renewed", taskManager, m -> m.leaseRenewals.sum());
        metrics.functionCounter("lease.renewal.failures", "task lease renewals that failed (Redis error or timeout) or found the lease taken",
                taskManager, m -> m.leaseRenewalFailures.sum());
        for (String reason : taskManager.revocationReasons()) {
            metrics.functionCounter("tasks.revoked", "tasks stopped here: handed over (rebalance), fenced, or lease not renewable",
                    taskManager, m -> m.revocations(reason), "reason", reason);
        }
        for (PeriodicJob job : jobs) {
            metrics.jobFailures(job.name().replace(' ', '.'), job, PeriodicJob::failures);
        }
        for (StreamTask t : tasks) {
            metrics.gauge("backpressure.demand", "batches requested by the task and not yet read", t,
                    StreamTask::outstandingDemand, "task", t.id());
            metrics.gauge("backpressure.read.ahead", "entries read from Redis and not yet committed", t,
                    StreamTask::readAhead, "task", t.id());
            metrics.gauge("task.aligner.held", "input entries read and held back by event-time alignment (not lost: pending)", t,
                    StreamTask::alignerHeld, "task", t.id());
            for (String stream : t.inputStreams()) {
                metrics.gauge("task.input.paused", "1 while the task does not read this input because event-time "
                        + "alignment holds maxHeldPerInput of its records or maxHeldBytesPerInput of their bytes (its entries wait in Redis, unread), else 0",
                        t, task -> task.inputPaused(stream), "task", t.id(), "stream", stream);
            }
            metrics.functionCounter("backpressure.no.demand.seconds", "time the reader had no demand (task busy)", t,
                    StreamTask::noDemandSeconds, "task", t.id());
        }
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    int partition = p;
                    String[] tags = {"group", group, "stream", stream, "partition", Integer.toString(p)};
                    metrics.gauge("consumer.lag", "entries not yet delivered to the group (XINFO GROUPS lag); NaN while "
                                    + "the lag cannot be read", () -> lagGauges.value(group, stream, partition, SourceLag::lag), tags);
                    metrics.gauge("consumer.pending", "entries delivered and not acknowledged (PEL); NaN while the lag "
                                    + "cannot be read", () -> lagGauges.value(group, stream, partition, SourceLag::pending), tags);
                    metrics.gauge("consumer.oldest.pending.age.seconds", "age of the oldest pending entry; NaN while the "
                                    + "lag cannot be read",
                            () -> lagGauges.value(group, stream, partition, SourceLag::oldestPendingAgeMs) / 1000.0, tags);
                }
            }
        }
    }

    /** @return the lifecycle state */
    public RuntimeState state() {
        return state.get();
    }

    /** @return the group as this instance last saw it: members, assignment, and the state of each task here */
    public GroupState group() {
        Map<String, TaskState> taskStates = new LinkedHashMap<>();
        Map<String, String> failing = new LinkedHashMap<>();
        Map<String, List<String>> paused = new LinkedHashMap<>();
        tasks.forEach(t -> {
            taskStates.put(t.id(), t.state());
            String cause = t.failingWith();
            if (cause != null) {
                failing.put(t.id(), cause);
            }
            java.util.Set<String> inputs = t.pausedInputs();
            if (!inputs.isEmpty()) {
                paused.put(t.id(), List.copyOf(new java.util.TreeSet<>(inputs)));
            }
        });
        if (coordinator == null) {
            return new GroupState(config.instanceId(), List.of(), Map.of(), taskStates, 0, failing, paused);
        }
        RebalanceCoordinator.Decision d = coordinator.last();
        Map<String, List<String>> assignment = new LinkedHashMap<>();
        d.assignment().forEach((member, ids) -> assignment.put(member, ids.stream().map(TaskId::toString).toList()));
        return new GroupState(config.instanceId(), d.members(), assignment, taskStates, coordinator.rebalances(), failing,
                paused);
    }

    /** @return totals over every task */
    public RuntimeCounters counters() {
        return counters;
    }

    /** @return the tasks, by sub-topology then partition */
    public List<StreamTask> tasks() {
        return List.copyOf(tasks);
    }

    /** @return the topology this runtime runs */
    public Topology topology() {
        return topology;
    }

    /** @return the settings */
    public StreamsConfig config() {
        return config;
    }
}
