package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.metrics.StreamsMetrics;
import io.quantumtrader.streams.redis.CommitBatch;
import io.quantumtrader.streams.redis.OrderedScriptConnection;
import io.quantumtrader.streams.redis.CommitDurability;
import io.quantumtrader.streams.redis.CommitScript;
import io.quantumtrader.streams.redis.DedupeLog;
import io.quantumtrader.streams.redis.ForwardScheduler;
import io.quantumtrader.streams.redis.FencedReadConnection;
import io.quantumtrader.streams.redis.InputNotifier;
import io.quantumtrader.streams.redis.OutboxForwarder;
import io.quantumtrader.streams.redis.RedisDeployment;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.TaskFencedException;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One partition of one sub-topology, run as its own Reactor pipeline (Kafka Streams' {@code StreamTask}). Each
 * {@link #run(String)} is one period of ownership under a fencing token (the lease is taken and renewed by the
 * {@link TaskManager}): claim the partition's pending entries from every consumer (XAUTOCLAIM) → load state stores →
 * read batches on demand (fenced reads) → run them through the sub-topology's stages → commit outputs, state and acks
 * in one script. {@link #state()} says where it is; a task that lost its lease is {@link TaskState#REVOKED}.
 */
public final class StreamTask {

    private static final Logger log = LoggerFactory.getLogger(StreamTask.class);

    private final String id;
    private final Subtopology subtopology;
    private final int partition;
    private final Topology topology;
    private final StreamsConfig config;
    private final ReactiveStringRedisTemplate redis;
    private final StreamAdmin admin;
    private final CommitScript commitScript;
    private final StreamKeys keys;
    private final RuntimeCounters counters;
    private final StreamsMetrics metrics;
    private final String group;
    private final TaskId taskId;
    private final String leaseKey;
    private final String fenceKey;
    private final String ownerKey;
    private final Map<String, String> streamByKey = new LinkedHashMap<>();
    /** Streams the sub-topology's sinks write to (the task publishes a watermark for each of their partitions). */
    private final java.util.Set<String> sinkStreams = new java.util.LinkedHashSet<>();
    /** This task as a producer in the watermark hashes: {@code <application-id>:<task-id>}. */
    private final String producerId;
    /** Producers of this task's own sub-topology in watermark hashes: their outputs read back are a cycle, not aligned. */
    private final String ownProducerPrefix;
    private volatile InputAligner aligner;
    /** The current run's bound on the records its aligner holds per input (null without alignment). */
    private volatile HeldInputLimit heldLimit;
    /** The largest event time this task processed in its current run (epoch ms) and the last watermark it published in it. */
    private long streamTimeMs = InputAligner.NONE;
    private long publishedWatermarkMs = InputAligner.NONE;
    /** Whether this run ran the end of input's punctuation (its end may wait for a record a processor holds). */
    private volatile boolean endPunctuatedThisRun;
    /** The task's meta field set by the commit of the end of input's punctuation (the end may wait for a hold). */
    static final String INPUT_END_PUNCTUATED = "input-end-punctuated";
    /**
     * How long (wall clock, ms) the end of input waits for records a processor still holds after its punctuation (the
     * test driver waits as long on its mocked clock).
     */
    public static final long END_HOLD_LIMIT_MS = 5_000;
    /** When this run first held the end back for a processor's hold (wall clock, epoch ms), or MIN_VALUE. */
    private volatile long endHeldSinceMs = Long.MIN_VALUE;
    /** The task's meta field set by the commit that published its end of input ({@link #punctuate}). */
    static final String INPUT_ENDED = "input-ended";
    private static final String INPUT_ENDED_COMMITTED = "1";
    /**
     * Whether this run's last hold mark said the task holds records (null: it wrote none yet; its start writes one
     * before the first read, {@link #markHoldsAtStart}, replacing a mark an earlier run left) and the heartbeat it
     * wrote ({@link #markHolds}).
     */
    private Boolean holdMarked;
    private long holdHeartbeatMs;
    /** Per input stream, the producer tasks the topology has for it (each must publish before the input has a watermark). */
    private final Map<String, List<String>> expectedProducers = new LinkedHashMap<>();
    /** Producers left out of an input's watermark while idle (only with an idle timeout: {@code serve}). */
    private ProducerIdleness producerIdleness = new ProducerIdleness(null, System::currentTimeMillis);
    /** Producer-name prefixes ({@code <application-id>:<sub-topology>_}) of the sub-topologies whose tasks write hold marks. */
    private final List<String> holdMarkWriters = new java.util.ArrayList<>();
    /** Inputs written by several producer tasks: re-ordered by (event time, subject) ({@link InputAligner}). */
    private final java.util.Set<String> mergedInputs = new java.util.HashSet<>();
    /** Largest entry id processed per input stream in the current run: the input floor ({@link #inputFloor}). */
    private final Map<String, String> processedIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private volatile long processedAtStart;
    private volatile Run current;
    private volatile boolean stopRequested;
    private final AtomicReference<TaskState> state = new AtomicReference<>(TaskState.UNASSIGNED);
    private volatile String revocationReason;
    /** Why the task last failed ({@link #failed}), and {@link #processed()} then. */
    private volatile String lastFailure;
    /** Set when a run failed for lack of memory: the next run's first read asks for one entry ({@link #failed}). */
    private volatile boolean readCautiously;
    private volatile long processedAtFailure;
    private final String metaKey;
    private final String dedupeKey;
    private final String legacyDedupeKey;
    /** The task's outbox when outputs for other slots go through it (Redis Cluster), else null. */
    private final String outboxKey;
    private final OutboxForwarder forwarder;
    /** Counts forwards as they go: a forward that fails partway counted what it did. */
    private final ForwardCounts forwardCounts;
    /** Outbox entries committed behind the running forward before commits wait for their forwards (CommitOptions). */
    private final long forwardLagLimit;
    private final CommitDurability durability;
    private static final Object PUNCTUATE = new Object();
    /** Punctuations asked for before the interval's next one ({@link #noticeInputEnded}); dropped while one waits. */
    private final Sinks.Many<Object> earlyPunctuations = Sinks.many().multicast().directBestEffort();
    /**
     * Every input has ended but the task has not processed all of it yet (as the last punctuation read the watermarks,
     * or as a notice said): it punctuates again after each batch, so its own end follows its last batch at once.
     */
    private volatile boolean inputsEnding;
    /** The commit carrying this task's end of input: once it lands, this instance's readers of its outputs are told. */
    private volatile TaskContext.PreparedCommit endOfInputCommit;
    /** Where this task's end of input is told within the instance. */
    private final EndOfInputNotices endNotices;
    private final IngestRefusalLog refusals;
    private static final int MAX_COMMITS_IN_FLIGHT = 2;
    /** Commits whose run and acknowledged count the meta hash keeps: commit.lua's {@code ACKED_KEPT} (CommitsKeptTest). */
    static final int COMMITS_KEPT = 8;
    /** The highest commit sequence this instance counted for this task ({@link #countUncertain} finds a rollback). */
    private final java.util.concurrent.atomic.AtomicLong highestCountedCommit = new java.util.concurrent.atomic.AtomicLong();
    /** Commits of earlier runs whose outcome was unknown when they failed: {@link #countUncertain} settles them. */
    private final java.util.concurrent.ConcurrentLinkedQueue<UncertainCommit> uncertainCommits = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Wakes the reader when an entry reaches an idle input (null: the reader polls with its back-off alone). */
    private final InputNotifier notifier;
    /**
     * Fenced reads on a dedicated connection: transactions on a standalone Redis, {@code read-group.lua} on a Redis
     * Cluster (null: {@code read-group.lua} through the template).
     */
    private final FencedReadConnection fastReads;

    StreamTask(Subtopology subtopology, int partition, Topology topology, StreamsConfig config,
               ReactiveStringRedisTemplate redis, RuntimeCounters counters, StreamsMetrics metrics,
               OrderedScriptConnection commitConnection, CommitOptions commitOptions, InputNotifier notifier,
               FencedReadConnection fastReads, EndOfInputNotices endNotices, IngestRefusalLog refusals) {
        this.metrics = metrics;
        this.refusals = refusals;
        this.endNotices = endNotices;
        this.fastReads = fastReads;
        this.notifier = notifier;
        this.taskId = new TaskId(subtopology.id(), partition);
        this.id = taskId.toString();
        this.subtopology = subtopology;
        this.partition = partition;
        this.topology = topology;
        this.config = config;
        this.redis = redis;
        this.admin = new StreamAdmin(redis);
        this.commitScript = new CommitScript(redis, commitConnection);
        this.keys = new StreamKeys(config.namespace());
        this.counters = counters;
        this.group = StreamKeys.group(topology.applicationId(), subtopology.id());
        this.leaseKey = keys.lease(group, partition);
        this.fenceKey = keys.fence(group, partition);
        this.ownerKey = keys.leaseOwner(group, partition);
        this.metaKey = keys.meta(group, partition);
        this.dedupeKey = keys.dedupe(group, partition);
        this.legacyDedupeKey = keys.legacyDedupe(group, partition);
        this.outboxKey = commitOptions.outbox(RedisDeployment.isCluster(redis)) ? keys.outbox(group, partition) : null;
        this.durability = new CommitDurability(commitConnection, commitOptions.waitReplicas(), commitOptions.waitTimeout());
        this.forwarder = new OutboxForwarder(redis, commitOptions.forwardHook(), commitConnection, durability);
        this.forwardCounts = new ForwardCounts(counters);
        this.forwardLagLimit = commitOptions.forwardLagLimit();
        for (TopologyNode n : subtopology.nodes()) {
            if (n.kind() == TopologyNode.Kind.SOURCE) {
                for (String s : n.streams()) {
                    streamByKey.put(keys.stream(s, partition), s);
                }
            } else if (n.kind() == TopologyNode.Kind.SINK) {
                sinkStreams.addAll(n.streams());
            }
        }
        this.producerId = topology.applicationId() + ":" + id;
        this.ownProducerPrefix = topology.applicationId() + ":" + subtopology.id() + "_";
        for (io.quantumtrader.streams.dsl.internals.Subtopology s : topology.taskSubtopologies()) {
            if (s.holdsRecords()) {
                holdMarkWriters.add(topology.applicationId() + ":" + s.id() + "_");
            }
        }
        for (String s : streamByKey.values()) {
            List<String> producers = topology.producerTasks(s, stream -> config.catalog().spec(stream).partitions(),
                    subtopology.id());
            expectedProducers.put(s, producers);
            if (topology.mergedInput(s, producers, subtopology.id())) {
                mergedInputs.add(s);
            }
        }
    }

    /**
     * @return input entries read and held back by event-time alignment, not yet processed ({@link InputAligner}), while
     *         this instance owns the task; 0 once it does not (handed over, fenced, closed: those entries are pending
     *         for the next owner). Until 2026-12-07 this, the paused inputs, the read-ahead and the demand showed the
     *         last run's figures on the instance a task had left, in health, {@code undrained()} and the gauges (found
     *         in review, {@code HandedOverTaskAlignmentStateTest})
     */
    public long alignerHeld() {
        InputAligner a = aligner;
        return a == null || !state().owned() ? 0 : a.held();
    }

    /**
     * @return the input streams whose reads are paused now because event-time alignment holds
     *         {@link InputAlignment#maxHeldPerInput()} of their records (empty when none, or alignment is off)
     */
    public java.util.Set<String> pausedInputs() {
        HeldInputLimit l = heldLimit;
        return l == null || !state().owned() ? java.util.Set.of() : l.paused();
    }

    /** @return 1 while reads of {@code stream} are paused ({@link #pausedInputs()}), else 0 (a gauge's value) */
    public int inputPaused(String stream) {
        HeldInputLimit l = heldLimit;
        return l != null && state().owned() && l.paused(stream) ? 1 : 0;
    }

    /** @return the logical input streams of this task */
    public java.util.Collection<String> inputStreams() {
        return java.util.Collections.unmodifiableCollection(streamByKey.values());
    }

    /** @return Kafka Streams task id {@code <sub-topology>_<partition>} */
    public String id() {
        return id;
    }

    /** @return the task's id */
    public TaskId taskId() {
        return taskId;
    }

    /** @return where the task is on this instance; never {@link TaskState#RUNNING} once its lease is lost */
    public TaskState state() {
        return state.get();
    }

    /**
     * A producer of one of this task's inputs has published its end of input ({@link EndOfInputNotices}): punctuate
     * now instead of at the interval's next tick. The punctuation reads the watermarks and decides: the task passes
     * the end on when its inputs have ended and it has processed them, keeps punctuating after each batch while it
     * still has some of them to process, and otherwise (another producer has not ended) waits as before. Ignored
     * while the task is not running or does not align its inputs.
     */
    void noticeInputEnded() {
        if (aligner == null || state.get() != TaskState.RUNNING) {
            return;
        }
        inputsEnding = true;
        // told from the commit connection's thread: the punctuation must not start there
        Schedulers.parallel().schedule(this::punctuateEarly);
    }

    private void punctuateEarlyIfEnding() {
        if (inputsEnding) {
            punctuateEarly();
        }
    }

    private void punctuateEarly() {
        synchronized (earlyPunctuations) {   // a sink takes one emitter at a time; best effort: a failed emit is a dropped one
            earlyPunctuations.tryEmitNext(PUNCTUATE);
        }
    }

    /** @return why the task was last revoked ({@code rebalance}, {@code fenced}, {@code lease.expiring}), or null */
    public String revocationReason() {
        return revocationReason;
    }

    /** Sets the state unconditionally (the {@link TaskManager} ends a period of ownership with it). */
    void state(TaskState next, String reason) {
        if (next == TaskState.REVOKED) {
            revocationReason = reason;
        }
        state.set(next);
    }

    /** @return true when the state was {@code expected} and is now {@code next} */
    boolean transition(TaskState expected, TaskState next) {
        return state.compareAndSet(expected, next);
    }

    String leaseKey() {
        return leaseKey;
    }

    String fenceKey() {
        return fenceKey;
    }

    String ownerKey() {
        return ownerKey;
    }

    /** @return the Redis keys of the task's source stream partitions */
    java.util.Set<String> sourceKeys() {
        return streamByKey.keySet();
    }

    /** @return the consumer group this task reads with */
    public String group() {
        return group;
    }

    /**
     * The task failed (it restarts, or stopped for good): keeps why, for health, until it processes something again;
     * and when {@code error} was the JVM running out of memory or a reply that did not come in time (a read of a
     * batch of large entries over a slow link outlasts {@code PartitionReader.READ_TIMEOUT}), the next run reads
     * cautiously ({@link PartitionReader#limitEntrySize}): its first read asks for one entry, as the read that failed
     * may have brought entries far larger than any entry may be. Before (review 2026-12-07) a read timeout restarted
     * the task into the same read of the whole batch, for ever: 40 entries of 256 KiB over 1 MB/s restarted it 11
     * times in two minutes and dead-lettered nothing ({@code SlowOversizedReadTest}).
     *
     * @param error the failure
     * @param why   the failure in one line ({@link FailureDescription}, else {@link CauseMessages})
     */
    void failed(Throwable error, String why) {
        processedAtFailure = processed();
        lastFailure = why;
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(error)) {
            if (t instanceof OutOfMemoryError || t instanceof java.util.concurrent.TimeoutException) {
                readCautiously = true;
                break;
            }
        }
    }

    /**
     * @return why the task last failed while it is not running again (waiting to restart, restoring, or stopped for
     *         good: {@link TaskState#RESTORING}, {@link TaskState#ERROR}) and has committed no input since; null
     *         otherwise (it never failed, or it runs again: a quiet task that recovered commits nothing and must not
     *         keep showing an old failure)
     */
    public String failingWith() {
        String cause = lastFailure;
        TaskState now = state.get();
        return cause != null && (now == TaskState.RESTORING || now == TaskState.ERROR) && processed() == processedAtFailure
                ? cause : null;
    }

    /** @return input entries processed in committed batches */
    public long processed() {
        return processed.get();
    }

    /** @return entries read from Redis by the current reader (0 before the task started) */
    public long entriesRead() {
        PartitionReader r = reader();
        return r == null ? 0 : r.entriesRead();
    }

    /** @return XREADGROUP calls made by the current reader (0 before the task started) */
    public long reads() {
        PartitionReader r = reader();
        return r == null ? 0 : r.reads();
    }

    /** @return downstream demand not yet satisfied by the current reader */
    public long outstandingDemand() {
        PartitionReader r = reader();
        return r == null || !state().owned() ? 0 : r.outstandingDemand();
    }

    /** @return entries read from Redis and not yet committed (the task's read-ahead) */
    public long readAhead() {
        PartitionReader r = reader();
        return r == null || !state().owned() ? 0 : Math.max(0, r.entriesRead() - (processed.get() - processedAtStart));
    }

    /**
     * @return seconds this task's readers spent with no outstanding demand (downstream busy: backpressure), over all its
     *         runs: a counter, so it never goes back (until 2026-12-07 the current reader's alone, which fell to ~0 at
     *         each restart; found in review)
     */
    public double noDemandSeconds() {
        synchronized (noDemandLock) {   // a reader released meanwhile is counted once (a counter never goes back)
            PartitionReader r = reader();
            return (noDemandNanosOfEndedRuns + (r == null ? 0 : r.noDemandNanos())) / 1e9;
        }
    }

    /** No-demand time of the readers of this task's runs before the current one, ns ({@link #noDemandSeconds()}). */
    private volatile long noDemandNanosOfEndedRuns;
    private final Object noDemandLock = new Object();

    private PartitionReader reader() {
        Run r = current;
        return r == null ? null : r.reader;
    }

    /** One period of ownership: the token it runs under and how to stop it. */
    private static final class Run {
        final String token;
        /**
         * Names this run's commits in the task's meta hash (commit.lua's {@code commit-run.<seq mod 8>}): a commit sent
         * again after its reply was lost, or one whose outcome was unknown ({@link #countUncertain}), is recognised as
         * this run's, not as another's with the same sequence.
         */
        final String id = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        final Sinks.Empty<Void> stopped = Sinks.empty();
        volatile boolean stopping;
        volatile PartitionReader reader;
        /** Outbox forwards of this run (Redis Cluster), decoupled from the commits; a failed one fails the run. */
        volatile ForwardScheduler forwarding;
        final Sinks.Empty<Void> forwardFailed = Sinks.empty();
        /**
         * With WAIT: commits of earlier runs whose outcome was unknown that the meta hash shows made
         * ({@link #countUncertain}), counted once this run's first commit is durable (replication is one ordered stream:
         * a later commit the replicas acknowledged proves the earlier one replicated too).
         */
        final java.util.Queue<Map.Entry<UncertainCommit, Long>> madeAwaitingDurable =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        /** Per input stream key, what the start's claim found: where each consumer group stands. */
        final Map<String, io.quantumtrader.streams.redis.StreamAdmin.Claim> claims = new java.util.concurrent.ConcurrentHashMap<>();
        /** This run's commits, each sent again once if it overtook its predecessor. */
        final CommitOrder commits;

        Run(String token, Runnable onCommitResent) {
            this.token = token;
            this.commits = new CommitOrder(onCommitResent);
        }
    }

    /**
     * Graceful stop of the current run: no further reads; batches in flight are processed and committed, then
     * {@link #run(String)} completes.
     */
    void stop() {
        stopRequested = true;
        Run run = current;
        if (run != null) {
            stop(run);
        }
    }

    private static void stop(Run run) {
        run.stopping = true;
        run.stopped.tryEmitEmpty();
        PartitionReader r = run.reader;
        if (r != null) {
            r.stop();
        }
    }

    /** Forgets a {@link #stop()} of an earlier run, before a new period of ownership starts. */
    void resetStop() {
        stopRequested = false;
    }

    /**
     * Runs the task under {@code token} (the lease must be held): {@link TaskState#RESTORING} while pending entries
     * are claimed and stores loaded, then {@link TaskState#RUNNING} (unless it was revoked meanwhile).
     *
     * @return completes after {@link #stop()} once the batches in flight are committed; errors when it failed (the
     *         manager restarts it) or was fenced ({@link TaskFencedException})
     */
    Mono<Void> run(String token) {
        return Mono.defer(() -> {
            Run run = new Run(token, () -> log.info("task {}: a commit reached Redis before the one made ahead of it "
                    + "(refused out of sequence, nothing written); sent again after it", id));
            if (outboxKey != null) {
                run.forwarding = new ForwardScheduler(() -> forwarder.forward(outboxKey, forwardCounts));
            }
            Run previous = current;
            if (previous != null) {
                // made, not counted: that run failed before a commit of its own was durable; checked again against
                // the next meta hash (found in review of this fix, 2026-12-07: they were dropped with the run)
                for (Map.Entry<UncertainCommit, Long> m; (m = previous.madeAwaitingDurable.poll()) != null; ) {
                    uncertainCommits.add(m.getKey());
                }
            }
            // at 0 before the start's check can count a loss (reportLostState): a series whose first sample is 1 is
            // not seen by increase() (review 2026-12-08: StateLostFirstCountTest)
            java.util.List.of("dedupe_log", "meta", "store").forEach(what -> metrics.stateLost(id, what, 0));
            // the last run's alignment state is not this run's: reported while restoring until process() sets new ones
            synchronized (runStateLock) {
                aligner = null;
                heldLimit = null;
            }
            if (previous != null) {
                releaseReader(previous);   // ended before its process() released it (it failed while restoring)
            }
            current = run;
            if (stopRequested) {
                stop(run);
            }
            state.set(TaskState.RESTORING);
            return Flux.fromIterable(streamByKey.keySet())
                    .concatMap(key -> admin.ensureGroup(key, group, RenumberedSubtopologyCheck.readerOf(subtopology,
                            streamByKey.get(key)), metaKey, StreamAdmin.ATTEMPT_TIMEOUT).doOnNext(created -> {
                        if (created == StreamAdmin.GroupCreation.CREATED_STREAM_WAS_GONE) {
                            reportStreamWasGone(log, metrics, id, streamByKey.get(key), key);
                        }
                        if (created == StreamAdmin.GroupCreation.SET_BACK) {
                            reportGroupSetBack(log, id, group, key);
                        } else if (created != StreamAdmin.GroupCreation.EXISTED) {
                            // the runtime made every group at its start: Redis lost it since (a restart without
                            // persistence, a failover, a FLUSHALL). Without it the task failed with NOGROUP at every
                            // restart, for good (found in review, 2026-12-05)
                            counters.groupsRecreated.increment();
                            log.error("task {}: consumer group {} of {} was missing and is created again from the start "
                                    + "of the stream: did Redis lose its data (a restart without persistence)? What it "
                                    + "held before is gone; check the outputs", id, group, key);
                        }
                    }).thenReturn(key))
                    .concatMap(key -> admin.claimPending(key, leaseKey, keys.stream(StreamKeys.deadLetter(streamByKey.get(key)), partition),
                                    group, config.instanceId(), Duration.ZERO, token, streamByKey.get(key), partition, id)
                            .flatMap(claim -> {
                                run.claims.put(key, claim);
                                countDeletedPending(key, claim.deadLettered());
                                // counted: the next run's claim does not carry them again (it does when this reply
                                // was lost: claim-pending.lua)
                                Mono<Boolean> confirmed = claim.deadLettered() > 0
                                        ? admin.claimCounted(key, group, token) : Mono.empty();
                                return confirmed.then(admin.removeStaleConsumers(key, group, config.instanceId(),
                                                config.staleConsumerIdle()))
                                        .thenReturn(claim.claimed());
                            }))
                    .reduce(0L, Long::sum)
                    .doOnNext(counters.reclaimed::add)
                    .then(forwardOutbox())
                    .then(loadStores())
                    .zipWith(redis.<String, String>opsForHash().entries(metaKey).collectMap(Map.Entry::getKey, Map.Entry::getValue))
                    .zipWith(loadDedupe())
                    .flatMap(loaded -> reportLostState(loaded.getT1().getT2(), loaded.getT1().getT1(), loaded.getT2())
                            .then(Mono.defer(() -> process(run, loaded.getT1().getT1(), loaded.getT1().getT2(), loaded.getT2()))));
        });
    }

    /**
     * Forwards what the outbox holds (outputs committed by an earlier run, or by the previous owner, and not yet
     * appended to their slots) before anything new is processed, so per-partition order holds.
     */
    private Mono<Void> forwardOutbox() {
        if (outboxKey == null) {
            return Mono.empty();
        }
        return forwarder.forward(outboxKey, forwardCounts)
                .doOnNext(f -> {
                    if (f.read() > 0) {
                        log.info("task {}: forwarded {} outbox entries left by an earlier run ({} had been appended before)",
                                id, f.read(), f.repeats());
                    }
                })
                .then();
    }

    /**
     * Asks for a forward of the outbox after a commit that wrote to it, without holding up the next commit unless the
     * forwards lag ({@link CommitOptions#forwardLagLimit}). It counts as a commit in flight until done, so
     * {@link StreamsRuntime#awaitDrained} waits for the outputs to reach their streams; an error fails the run.
     *
     * @param entries the commit's outbox entries
     * @return completes at once, or, when the forwards lag, once this commit's forward is done
     */
    private Mono<Void> forwardInBackground(Run run, long entries) {
        // forwards that lag (more than the limit of outbox entries wait behind the running forward): this commit waits
        // for its own forward, so a slow target slot slows the reads through the commits in flight instead of the
        // outbox growing with the whole backlog (found in review, 2026-12-07: 4,353 outputs waiting after 12 s of 2 s
        // forwards; SlowForwardBackpressureTest)
        boolean lagging = run.forwarding.lagging(entries, forwardLagLimit);
        counters.commitsInFlight.incrementAndGet();
        Mono<Void> forwarded = run.forwarding.request(entries)
                .doFinally(signal -> counters.commitsInFlight.decrementAndGet())
                .doOnError(error -> {
                    log.warn("task {}: forwarding the outbox failed: {}", id, error.toString());
                    run.forwardFailed.tryEmitError(error);
                })
                .cache();
        forwarded.subscribe(ignored -> {
        }, error -> {
        });
        return lagging ? forwarded.onErrorResume(e -> Mono.empty()) : Mono.empty();   // a failure fails the run (forwardFailed)
    }

    /**
     * @return the event ids the task's commits recorded (id → arrival ms) in the order the task processed them: those of
     *         its former dedupe set (a sorted set, no longer written; ids recorded before 2026-12-03) first, by score,
     *         then its dedupe log ({@link DedupeLog}) commit by commit, oldest first, each commit's ids in their order.
     *         The cache's bound forgets the oldest in this order, as it did before the restart: loaded by arrival, all
     *         ids of a commit share one (its newest), so a log over the bound (by up to one commit, always once full)
     *         forgot an arbitrary id of its oldest commit, one remembered before the restart, and a producer's retry of
     *         it was processed twice (review 2026-12-07, {@code DedupeRestartOrderTest}). An element of the log in
     *         another layout is skipped with a warning (its ids are then not recognized as repeats)
     */
    private Mono<Map<String, Long>> loadDedupe() {
        if (config.ingest().dedupeMaxIds() == 0) {
            return Mono.just(Map.of());
        }
        return Mono.defer(() -> {
            Map<String, Long> ids = new LinkedHashMap<>();
            return redis.opsForZSet().rangeWithScores(legacyDedupeKey, org.springframework.data.domain.Range.unbounded())
                    .doOnNext(t -> ids.put(t.getValue(), t.getScore() == null ? 0L : t.getScore().longValue()))
                    .thenMany(redis.opsForList().range(dedupeKey, 0, -1))
                    .index()
                    .doOnNext(element -> {
                        try {
                            DedupeLog.parse(element.getT2(), ids::put);
                        } catch (IllegalArgumentException e) {
                            log.warn("task {}: element {} of the dedupe log {} is not in the engine's layout ({}); the ids it "
                                    + "holds will not be recognized as repeats. Was the key written by something else?",
                                    id, element.getT1(), dedupeKey, e.getMessage());
                        }
                    })
                    .then(Mono.fromSupplier(() -> ids));
        });
    }

    /**
     * Pending entries deleted from the stream before they were processed: XAUTOCLAIM drops them from the PEL, and
     * claim-pending.lua dead-letters each in the same script (nothing disappears silently, even if this process dies
     * right after the claim); here they are counted and logged.
     */
    private void countDeletedPending(String key, long deadLettered) {
        if (deadLettered > 0) {
            log.warn("task {}: {} pending entries of {} were deleted before processing; {}.dlq names them", id, deadLettered,
                    key, streamByKey.get(key));
            counters.deadLettered.add(deadLettered);
            metrics.rejected(streamByKey.get(key), RejectedEntryException.Reason.DELETED_BEFORE_PROCESSING.tag(), (int) deadLettered);
        }
    }

    private Mono<Map<String, CachedKeyValueStore<?, ?>>> loadStores() {
        return Flux.fromIterable(subtopology.stores())
                .concatMap(name -> {
                    StoreSpec<?, ?> spec = topology.store(name);
                    CachedKeyValueStore<?, ?> store = new CachedKeyValueStore<>(spec,
                            keys.store(topology.applicationId(), name, partition));
                    return redis.opsForHash().entries(store.hashKey())
                            .collectMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()))
                            .map(hash -> {
                                store.load(hash);
                                return store;
                            });
                })
                .collectMap(CachedKeyValueStore::name, s -> (CachedKeyValueStore<?, ?>) s)
                .map(LinkedHashMap::new);
    }

    private Mono<Void> process(Run run, Map<String, CachedKeyValueStore<?, ?>> stores, Map<String, String> meta,
                               Map<String, Long> dedupeIds) {
        String token = run.token;
        Map<String, GlobalStoreReplica> globals = new LinkedHashMap<>();
        topology.globalStores().values().forEach(spec ->
                globals.put(spec.name(), new GlobalStoreReplica(spec, redis, keys, config.catalog(), GlobalStoreReplica.SkipListener.metered(metrics),
                        config.ingest(), GlobalStoreReplica.RESET_CHECK_INTERVAL, GlobalStoreReplica.PAGE_TIMEOUT,
                        topology.valuePartitionedStreams(), topology.windowedKeyStreams())));
        TaskContext context = new TaskContext(id, partition, topology.applicationId(), keys, config.catalog(),
                config.retryBackoff(), stores, globals, metaKey, dedupeKey, counters, metrics, config.ingest());
        context.loadMeta(meta);
        countUncertain(meta, run);
        context.loadDedupe(dedupeIds);
        InputAligner align = config.alignment().enabled()
                ? new InputAligner(new java.util.LinkedHashSet<>(streamByKey.values()), mergedInputs, config.alignment().idleTimeout(),
                        () -> Schedulers.parallel().now(java.util.concurrent.TimeUnit.MILLISECONDS),
                        config.ingest().maxEventTimeSkew().toMillis(), config.ingest())
                : null;
        synchronized (runStateLock) {
            aligner = align;
        }
        if (align != null) {
            // the inputs' entries up to each group's position were processed by earlier runs (acknowledged, never read
            // again) or are pending and read again first: without this, a watermark covering such an entry would wait
            // for it forever (an input that ended before the restart held every later record of the others)
            run.claims.forEach((key, claim) -> align.resume(streamByKey.get(key), claim.deliveredId(), claim.newestPending()));
        }
        producerIdleness = new ProducerIdleness(config.alignment().idleTimeout(),
                () -> Schedulers.parallel().now(java.util.concurrent.TimeUnit.MILLISECONDS),
                producer -> holdMarkWriters.stream().anyMatch(producer::startsWith), config.assignment().leaseTtl());
        // A run starts from what Redis holds, not from what the run before it processed: that run's last batches may
        // not have been committed (a commit that failed, or whose outcome is unknown). Their entries are pending and
        // read again first — the aligner's resume gate holds this task's watermarks until they are — and the watermark
        // a failed commit carried (or its end of input) is published again. Kept across runs, the processed ids made
        // an input look covered before its failed batch was read again (the end of input went downstream before the
        // batch's outputs, and an aligned consumer released later records first), and the last published watermark
        // kept the restarted run from publishing the same one again (found in review, 2026-12-06:
        // WatermarksAfterAFailedCommitTest). A run on a fresh instance starts the same way.
        processedIds.clear();
        endPunctuatedThisRun = INPUT_ENDED_COMMITTED.equals(meta.get(INPUT_END_PUNCTUATED));
        endHeldSinceMs = Long.MIN_VALUE;
        streamTimeMs = InputAligner.NONE;
        // an end of input committed by an earlier run stays published: its punctuation ran once, in that commit (found
        // in review, 2026-12-07: a run after the end ran it again, and a punctuator that forwards at the end wrote its
        // record twice). An end whose commit failed is not recorded: it is published again
        publishedWatermarkMs = INPUT_ENDED_COMMITTED.equals(meta.get(INPUT_ENDED)) ? Long.MAX_VALUE : InputAligner.NONE;
        holdMarked = null;
        SubtopologyExecutor executor = new SubtopologyExecutor(subtopology, partition,
                new IngestGuard(config.ingest(), stream -> config.catalog().spec(stream).partitions(),
                        topology.valuePartitionedStreams(), topology.windowedKeyStreams()));
        PartitionReader r = new PartitionReader(redis, group, config.instanceId(), streamByKey, partition,
                config.batchSize(), config.idleMin(), config.idleMax(), leaseKey, token, fastReads,
                keys.fencedRead(group, partition));
        r.limitEntrySize(config.ingest().maxEntryBytes(), readCautiously);
        readCautiously = false;
        streamByKey.values().forEach(stream -> metrics.deletedUnread(stream, 0));
        // every refusal reason at 0 from the start: a counter first exported at 1 hides its first increase from
        // Prometheus' rate() and increase() (no sample before it), and the first hostile entry is often the only one
        streamByKey.values().forEach(stream -> java.util.Arrays.stream(RejectedEntryException.Reason.values())
                .forEach(reason -> metrics.rejected(stream, reason.tag(), 0)));
        executor.dropReasons().forEach((node, reasons) -> reasons.forEach(reason -> metrics.dropped(node, reason, 0)));
        globals.keySet().forEach(store -> metrics.globalTableReset(store, 0));
        Map<String, io.quantumtrader.streams.redis.DeletedUnreadTotals> counted = new java.util.HashMap<>();
        run.claims.forEach((key, claim) -> counted.put(key, claim.deletedUnread()));
        r.reportDeletedUnread(id, counted, (stream, n) -> {
            log.warn("task {}: {} entries of {} were deleted (MAXLEN, XTRIM or XDEL) before consumer group {} read them; "
                    + "they are lost to it, and {}.dlq names them", id, n < 0 ? "some" : n, stream, group, stream);
            metrics.deletedUnread(stream, n);
            counters.deadLettered.increment();
        });
        r.onReadAgain(reason -> metrics.readAgain(id, reason));
        if (notifier != null) {
            notifier.register(r);
        }
        // reads of an input pause while the aligner holds maxHeldPerInput of its records (buffered.records.per.partition)
        HeldInputLimit limit = align != null && align.aligning()
                ? new HeldInputLimit(id, streamByKey, config.alignment().maxHeldPerInput(),
                config.alignment().maxHeldBytesPerInput(), r) : null;
        synchronized (runStateLock) {
            heldLimit = limit;
        }
        processedAtStart = processed.get();
        run.reader = r;
        if (run.stopping) {
            r.stop();
        }
        if (transition(TaskState.RESTORING, TaskState.RUNNING)) {
            lastFailure = null;   // running again: a failure before is over
            log.debug("task {} running with token {} on {}", id, token, streamByKey.keySet());
        }
        // Batches and wall-clock punctuation ticks are handled one at a time, in arrival order. With merge prefetch 1
        // and concatMap prefetch 0 the reader has at most one batch read ahead of the one in process: no demand, no read.
        // A batch offered to the aligner counts as handled: what the aligner holds is bounded per input by pausing that
        // input's reads (HeldInputLimit); the ticks go on meanwhile (their watermark reads release held records).
        // Early punctuations (end-of-input notices) join the interval's ticks; either is dropped while one waits.
        // The first tick comes as the run starts. Every processor is initialized (Processor#init) before it and before
        // the first read (below), as Kafka Streams does when a task is created, so a wall-clock punctuation scheduled
        // in init is due one interval after the task started; before (review of 2026-12-06) init waited for the first
        // batch or the first tick an interval on, and then for whichever of them came first.
        Flux<Object> ticks = Flux.merge(
                        Flux.interval(Duration.ZERO, config.punctuationInterval()).map(t -> PUNCTUATE),
                        earlyPunctuations.asFlux())
                .onBackpressureDrop()
                .takeUntilOther(run.stopped.asMono());
        // Commits are pipelined: batch N+1 is processed while commit N is in flight (at most MAX_COMMITS_IN_FLIGHT);
        // commit.lua's commit-seq check makes a commit fail when its predecessor did, and the task then restarts; one
        // that reached Redis before its predecessor is sent again once the predecessor landed (CommitOrder).
        // Every processor is initialized before the first read (Processor#init; what it restores from its stores,
        // records it holds, counts in the watermark of the first batch on). Before (review of 2026-12-06) the first tick
        // initialized them, and a first batch read before it was processed with processors no record of it reached
        // uninitialized: their held records were not counted, and the batch's watermark passed them (RestoredHoldTest).
        // On a parallel thread: the stores' replies arrive on a Lettuce I/O thread, where no processor code may run.
        // Then, before the first read, the run's hold mark (markHoldsAtStart).
        return Mono.fromRunnable(() -> executor.init(context)).subscribeOn(Schedulers.parallel())
                .then(markHoldsAtStart(executor, context, run))
                .thenMany(Flux.merge(1, r.receiveBatches().cast(Object.class), ticks))
                .concatMap(work -> work == PUNCTUATE
                        ? aligned(align, limit, null, executor, context).concatWith(punctuate(align, executor, context))
                        : aligned(align, limit, castBatch(work), executor, context).doOnComplete(this::punctuateEarlyIfEnding), 0)
                .flatMapSequential(prepared -> config.beforeCommit().beforeCommit(id, prepared.entries())
                        .then(commit(prepared, token, run)), commitScript.ordered() ? MAX_COMMITS_IN_FLIGHT : 1, 1)
                .then(outboxKey == null ? Mono.empty() : Mono.defer(() -> run.forwarding.request()))
                // a forward that fails in the background fails the run (the next run forwards what is left first)
                .or(run.forwardFailed.asMono())
                .doFinally(signal -> {
                    executor.close();
                    release(run, align, limit);
                });
    }

    /**
     * Lets go of what a run that ended holds in memory: its reader (whose sink holds the run's operator chain, and so
     * its stores, dedupe cache and global tables), its aligner with the records it held, and its bound on them. Until
     * 2026-12-08 they were replaced only when the task ran here again, which after a hand-over (scale-out, rebalance)
     * may be never: the instance a task had left kept its whole state and up to {@code maxHeldPerInput} records per
     * input (found in review: {@code HandedOverTaskMemoryTest}). The held records are pending in Redis for the next
     * run or owner.
     */
    private void release(Run run, InputAligner align, HeldInputLimit limit) {
        releaseReader(run);
        synchronized (runStateLock) {   // a run started since has set its own: left as they are
            if (aligner == align) {
                aligner = null;
            }
            if (heldLimit == limit) {
                heldLimit = null;
            }
        }
    }

    /** Guards the check-then-clear of {@link #release} against a new run setting its aligner and bound. */
    private final Object runStateLock = new Object();

    /** Moves an ended run's reader's no-demand time into {@link #noDemandNanosOfEndedRuns} and drops the reader. */
    private void releaseReader(Run run) {
        synchronized (noDemandLock) {
            PartitionReader r = run.reader;
            if (r != null) {
                noDemandNanosOfEndedRuns += r.noDemandNanos();   // stopped: its figure is final
                run.reader = null;
            }
        }
    }

    /**
     * Commits the run's first hold mark ({@link #markHolds}) as soon as its processors are initialized, before its
     * first read: a heartbeat when they restored records they hold, else {@link ProducerIdleness#NOT_HOLDING}. The
     * mark an earlier run (or the previous owner) left stands still from its last commit to this one; its readers
     * count it idle one idle timeout after they saw it last change. Before (review of 2026-12-06) the run's first mark
     * came with its first punctuation or batch commit, which a slow first batch or a busy instance's parallel threads
     * delayed, and the other producers' watermarks passed the record the task had restored and held
     * ({@code RestartedHoldTest}). Through the commit script and the {@link CommitHook} like any commit (fenced, in
     * sequence); nothing is committed for a sub-topology that writes no hold marks.
     */
    private Mono<Void> markHoldsAtStart(SubtopologyExecutor executor, TaskContext context, Run run) {
        return Mono.defer(() -> {
            CommitBatch commit = new CommitBatch(outboxKey);
            context.begin(commit);
            markHolds(commit, executor::holdsRecords, true);
            if (holdMarked == null) {
                return Mono.empty();   // no hold marks here: the first batch commits what init may have written
            }
            TaskContext.PreparedCommit prepared = context.prepare(0);
            return prepared == null ? Mono.empty()
                    : config.beforeCommit().beforeCommit(id, 0).then(commit(prepared, run.token, run));
        });
    }

    /**
     * Without alignment (or a single input) processes the batch as read; with it, buffers the batch, reads the
     * inputs' watermarks when something is held, and processes what is releasable in event-time order.
     *
     * @param limit pauses and resumes the reads of each input by what the aligner holds of it (null: no alignment)
     * @param batch entries just read, or null on a punctuation tick (watermarks and idleness may release entries)
     */
    private Flux<TaskContext.PreparedCommit> aligned(InputAligner align, HeldInputLimit limit, List<StreamEntry> batch,
                                                     SubtopologyExecutor executor, TaskContext context) {
        if (batch == null) {
            tickMarks = null;
        }
        if (align == null || !align.aligning()) {
            return batch == null ? Flux.empty() : processBatch(batch, executor, context).flux();
        }
        if (batch != null) {
            align.offer(batch);
            limit.update(align);   // before the marks are read: the reader's next read leaves a full input out
        }
        if (align.held() == 0) {
            limit.update(align);
            return Flux.empty();
        }
        List<InputMark> read = new ArrayList<>();
        if (batch == null) {
            tickMarks = read;   // the punctuation's input floor uses these instead of reading them again
        }
        // the marks arrive on a Lettuce I/O thread: processing must not run there (it would hold up every reply of
        // that connection, and the replay's seven sub-topologies ended up processing on one or two I/O threads)
        return inputMarks(align.streams())
                .publishOn(Schedulers.parallel())
                .doOnNext(m -> {
                    read.add(m);
                    align.producersHolding(m.stream(), m.holding());
                    if (m.fedBackOnly()) {
                        align.fedBackOnly(m.stream());   // a cycle inside the sub-topology: not aligned
                    } else {
                        align.watermark(m.stream(), m.watermark(), m.lastId());
                    }
                })
                .thenMany(Flux.defer(() -> {
                    List<StreamEntry> ready = align.release();
                    limit.update(align);   // released some: reads of a paused input resume below the limit
                    return ready.isEmpty() ? Flux.empty() : processBatch(ready, executor, context).flux();
                }));
    }

    /**
     * Records the task's watermark (its stream time less the largest {@link SubtopologyExecutor#watermarkLagMs() lag}
     * of its stages: a window emitting on close may still forward a result as old as stream time - grace; and below
     * the earliest record a processor still holds, {@link SubtopologyExecutor#watermark}) for every partition of every
     * stream it writes to, in the same commit as its outputs; on a Redis Cluster, for a partition in another slot,
     * through the outbox after the outputs bound for it ({@link CommitBatch#putWatermark}).
     */
    private void publishWatermarks(long acceptedMaxEventTimeMs, CommitBatch commit, SubtopologyExecutor executor) {
        if (!config.alignment().enabled() || sinkStreams.isEmpty()) {
            return;
        }
        // the records the batch accepted only: an entry the guard refused (stamped in 2099, say) is no record, and
        // counted here it told aligned consumers that nothing earlier would come (HostileEntryTest)
        streamTimeMs = Math.max(streamTimeMs, acceptedMaxEventTimeMs);
        SubtopologyExecutor.Holds held = executor.holds();   // asked once for the watermark and the hold mark
        advanceWatermark(commit, streamTimeMs == InputAligner.NONE ? InputAligner.NONE
                : executor.watermark(streamTimeMs, held.earliestMs()));
        markHolds(commit, held::recordsHeld, false);
    }

    /**
     * Writes the task's hold mark for every partition of every output stream ({@link StreamKeys#holdMarks}), in the
     * same commit as its watermark, when it changes — the task starts or stops holding records
     * ({@link SubtopologyExecutor#holdsRecords()}), or a run writes its first, at its start before its first read
     * ({@link #markHoldsAtStart}) — and, while it holds, at every
     * punctuation ({@code heartbeat}): {@link ProducerIdleness#NOT_HOLDING} when it holds nothing, else a heartbeat
     * (wall clock, epoch ms, always larger than the last). Its readers count a producer whose mark keeps changing as
     * active however long its watermark is pinned by the hold, so with an idle timeout its held record is not passed
     * (before, review of 2026-12-06, it was: {@code HoldingProducerIdlenessTest}). Not after its end of input, and
     * never by a sub-topology none of whose processors may hold records ({@link Subtopology#holdsRecords()}): the
     * others' commits and punctuations write nothing more than before.
     *
     * @param holdsRecords whether the task holds records now, asked only when it writes hold marks: a caller that
     *                     asked the processors for the watermark ({@link SubtopologyExecutor#earliestHeldMs()}) passes
     *                     that answer instead of asking them twice
     */
    private void markHolds(CommitBatch commit, java.util.function.BooleanSupplier holdsRecords, boolean heartbeat) {
        if (!config.alignment().enabled() || sinkStreams.isEmpty() || publishedWatermarkMs == Long.MAX_VALUE
                || !subtopology.holdsRecords()) {
            return;
        }
        boolean holding = holdsRecords.getAsBoolean();
        if (holdMarked != null && holdMarked == holding && !(holding && heartbeat)) {
            return;
        }
        String value = ProducerIdleness.NOT_HOLDING;
        if (holding) {
            holdHeartbeatMs = Math.max(System.currentTimeMillis(), holdHeartbeatMs + 1);
            value = Long.toString(holdHeartbeatMs);
        }
        for (String stream : sinkStreams) {
            int partitions = config.catalog().spec(stream).partitions();
            for (int q = 0; q < partitions; q++) {
                commit.putWatermark(keys.holdMarks(stream, q), producerId, value);
            }
        }
        holdMarked = holding;
    }

    /**
     * The input marks the current punctuation tick's alignment step read (null when it read none): the tick's input
     * floor reuses them — read just before the release, they can only be as late as a second read, so the floor
     * stays safe — instead of one more script per input.
     */
    private List<InputMark> tickMarks;

    /**
     * One input's watermark as read with its partition's last entry id; fed back only: written by this sub-topology
     * alone; holding: an active producer task of another sub-topology holds records back (its hold mark).
     */
    private record InputMark(String stream, String lastId, long watermark, boolean fedBackOnly, boolean holding) {
    }

    /** Reads the watermarks and hold marks of {@code streams} (one script each, in this task's slot). */
    private Flux<InputMark> inputMarks(java.util.Collection<String> streams) {
        return Flux.fromIterable(streams)
                .concatMap(stream -> admin.inputWatermark(keys.watermarks(stream, partition), keys.stream(stream, partition),
                                keys.holdMarks(stream, partition))
                        .map(read -> {
                            List<String> expected = expectedProducers.getOrDefault(stream, List.of());
                            ProducerIdleness.Active active = producerIdleness.active(read.watermarks(), read.holdMarks(), expected);
                            long watermark = InputAligner.inputWatermark(active.producers(), ownProducerPrefix, active.expected());
                            boolean fedBack = watermark == InputAligner.NONE && expected.isEmpty() && sinkStreams.contains(stream);
                            boolean holding = active.holding().stream().anyMatch(p -> !p.startsWith(ownProducerPrefix));
                            return new InputMark(stream, read.lastEntryId(), watermark, fedBack, holding);
                        }));
    }

    /**
     * The time below which no input of this task can deliver a record any more (alignment on): the smallest of the
     * inputs' watermarks, each counted only once the task has processed everything up to the entry it covers, and of
     * the records still held; {@link Long#MAX_VALUE} when every input has ended (watermark {@link Long#MAX_VALUE} from
     * its other producers, or fed back only) and nothing is held; {@link InputAligner#NONE} when unknown. A task that
     * gets no records (a partition no key hashes to) still moves its watermark on with it
     * ({@link #advanceWatermark}): an aligned consumer waits for every producer task of its input. At
     * {@link Long#MAX_VALUE} no output older than any time can follow, and the task says so downstream
     * ({@link #publishEndOfInput}): a window stage's lag would otherwise hold an aligned consumer's last records forever.
     */
    private Mono<Long> inputFloor(InputAligner align) {
        if (align == null || sinkStreams.isEmpty() || publishedWatermarkMs == Long.MAX_VALUE) {
            inputsEnding = false;
            return Mono.just(InputAligner.NONE);
        }
        return Flux.defer(() -> {
                    List<InputMark> read = tickMarks;
                    tickMarks = null;
                    return read != null ? Flux.fromIterable(read) : inputMarks(align.streams());
                })
                .collectList()
                .map(marks -> {
                    long floor = Long.MAX_VALUE;
                    boolean allEnded = true;
                    for (InputMark m : marks) {
                        if (m.fedBackOnly()) {
                            continue;   // not waited for
                        }
                        allEnded &= m.watermark() == Long.MAX_VALUE;
                        String done = later(processedIds.get(m.stream()), align.resumedFrom(m.stream()));
                        boolean covered = "0-0".equals(m.lastId()) || (done != null && StreamEntry.compareIds(done, m.lastId()) >= 0);
                        floor = Math.min(floor, covered ? m.watermark() : InputAligner.NONE);
                    }
                    if (align.held() > 0) {
                        floor = Math.min(floor, align.minHeldTime());
                    }
                    // ended but not all processed: look again after each batch (noticeInputEnded)
                    inputsEnding = allEnded && floor != Long.MAX_VALUE;
                    return floor;
                });
    }

    /** @return the later of two entry ids, either of which may be null */
    private static String later(String a, String b) {
        return a == null ? b : b == null || StreamEntry.compareIds(a, b) >= 0 ? a : b;
    }

    /** Publishes {@code watermark} for every partition of every output stream when it is later than the last one. */
    private void advanceWatermark(CommitBatch commit, long watermark) {
        if (watermark <= publishedWatermarkMs) {
            return;
        }
        String value = Long.toString(watermark);
        for (String stream : sinkStreams) {
            int partitions = config.catalog().spec(stream).partitions();
            for (int q = 0; q < partitions; q++) {
                commit.putWatermark(keys.watermarks(stream, q), producerId, value);
            }
        }
        publishedWatermarkMs = watermark;
    }

    private void publishEndOfInput(CommitBatch commit) {
        advanceWatermark(commit, Long.MAX_VALUE);
    }

    /**
     * @return whether the end of input has waited {@link #END_HOLD_LIMIT_MS} for a processor's hold and goes out anyway
     *         (a processor that releases only on a later record, which never comes, or whose hold is never a time
     *         again, kept it back for ever: found in review of the first version, 2026-12-07); said once, at WARN
     */
    private boolean endHoldGivenUp(long nowMs, long earliestHeldMs) {
        if (endHeldSinceMs == Long.MIN_VALUE) {
            endHeldSinceMs = nowMs;
            return false;
        }
        if (nowMs - endHeldSinceMs < END_HOLD_LIMIT_MS) {
            return false;
        }
        log.warn("task {}: its inputs ended {} ms ago and a processor still holds records (earliest at {}): the end of "
                + "input is published now; records it forwards later come after the end (release held records at the end "
                + "of input's punctuation, stream time Long.MAX_VALUE)", id, nowMs - endHeldSinceMs,
                earliestHeldMs == Long.MIN_VALUE ? "an unknown time" : java.time.Instant.ofEpochMilli(earliestHeldMs));
        return true;
    }

    private Mono<TaskContext.PreparedCommit> processBatch(List<StreamEntry> batch, SubtopologyExecutor executor,
                                                        TaskContext context) {
        return Mono.defer(() -> {
                    if (log.isTraceEnabled()) {
                        log.trace("task {} batch of {}: {} .. {}", id, batch.size(), batch.get(0).id(), batch.get(batch.size() - 1).id());
                    }
                    CommitBatch commit = new CommitBatch(outboxKey);
                    context.begin(commit);
                    batch.forEach(e -> commit.ack(e.key(), e.id()));
                    batch.forEach(e -> processedIds.merge(e.stream(), e.id(),
                            (a, b) -> StreamEntry.compareIds(a, b) >= 0 ? a : b));
                    long started = System.nanoTime();
                    return refreshGlobals(context)
                            .then(executor.process(batch, context))
                            .then(Mono.fromSupplier(() -> {
                                counters.processNanos.add(System.nanoTime() - started);
                                publishWatermarks(executor.acceptedMaxEventTime(), commit, executor);
                                return context.prepare(batch.size());
                            }));
                })
                .subscribeOn(Schedulers.parallel());
    }

    private Mono<TaskContext.PreparedCommit> punctuate(InputAligner align, SubtopologyExecutor executor, TaskContext context) {
        return inputFloor(align).flatMap(floor -> Mono.defer(() -> {
                    boolean ended = floor == Long.MAX_VALUE;
                    long now = System.currentTimeMillis();
                    CommitBatch commit = new CommitBatch(outboxKey);
                    context.begin(commit);
                    // every input ended: stream time at its end, the processors' stream-time punctuations run once
                    // more (Stage.END_OF_INPUT; a held suspect print is refused unconfirmed) in the end's commit
                    // the end's punctuation once per run: a processor still holding a record after it (released by
                    // a wall-clock punctuation) keeps the end back, and later punctuations run at the wall clock
                    boolean endPunctuation = ended && !endPunctuatedThisRun;
                    return refreshGlobals(context)
                            .then(executor.punctuate(endPunctuation ? io.quantumtrader.streams.dsl.internals.Stage.END_OF_INPUT : now, context))
                            .then(Mono.fromSupplier(() -> {
                                // every run counts, also one with nothing to commit (before, review of 2026-12-06,
                                // only those that prepared a commit did)
                                counters.punctuations.increment();
                                SubtopologyExecutor.Holds endHolds = ended ? executor.holds() : null;
                                if (endPunctuation) {
                                    endPunctuatedThisRun = true;
                                    // in its commit: a run after it (a restart while the end waits) does not run it again
                                    commit.put(metaKey, INPUT_END_PUNCTUATED, INPUT_ENDED_COMMITTED);
                                }
                                boolean endHeld = ended && endHolds.earliestMs() != Long.MAX_VALUE
                                        && !endHoldGivenUp(now, endHolds.earliestMs());
                                if (endHeld) {
                                    // found in review (2026-12-07): the end went out while a processor held a record,
                                    // which reached an aligned consumer after the end it took for "nothing more"
                                    advanceWatermark(commit, executor.watermark(Long.MAX_VALUE, endHolds.earliestMs()));
                                    markHolds(commit, endHolds::recordsHeld, true);   // the next punctuation looks again
                                } else if (ended) {
                                    publishEndOfInput(commit);
                                    commit.put(metaKey, INPUT_ENDED, INPUT_ENDED_COMMITTED);   // in the end's commit
                                    markHolds(commit, executor::holdsRecords, true);
                                } else if (floor != InputAligner.NONE) {
                                    SubtopologyExecutor.Holds held = executor.holds();   // asked once, as for a batch
                                    advanceWatermark(commit, executor.watermark(floor, held.earliestMs()));
                                    markHolds(commit, held::recordsHeld, true);
                                } else {
                                    markHolds(commit, executor::holdsRecords, true);
                                }
                                TaskContext.PreparedCommit prepared = context.prepare(0);
                                if (ended && !endHeld) {   // the end published
                                    endOfInputCommit = prepared;
                                }
                                return prepared;
                            }));
                }))
                .subscribeOn(Schedulers.parallel());
    }

    @SuppressWarnings("unchecked")
    private static List<StreamEntry> castBatch(Object work) {
        return (List<StreamEntry>) work;
    }

    /**
     * Brings the task's global-table replicas up to date. The last reply arrives on a Lettuce I/O thread: what follows
     * (the batch's processing) goes back to a parallel thread, so a task with a global table does not process on the
     * thread that decodes every reply of the shared connection (JFR, replay: 248 of 394 I/O-thread samples did).
     */
    private static Mono<Void> refreshGlobals(TaskContext context) {
        if (context.globalReplicas().isEmpty()) {
            return Mono.empty();
        }
        return Flux.fromIterable(context.globalReplicas().values()).concatMap(GlobalStoreReplica::refresh).then()
                .publishOn(Schedulers.parallel());
    }

    /**
     * Sends a batch's commit when subscribed. Once sent, the commit runs to its reply and is counted then, even if the
     * run stops waiting for it (a failure elsewhere in the run cancels its commits in flight): a commit that landed is
     * never processed again by the restarted run, so counting it only for a run still waiting left its records out of
     * {@code recordsIn} for good (docs/BENCHMARKS.md, 2026-12-03 19:43 UTC; {@code DrainedCountersTest}).
     */
    private Mono<Void> commit(TaskContext.PreparedCommit prepared, String token, Run run) {
        return Mono.defer(() -> Mono.fromFuture(landed(prepared, token, run), true))
                .flatMap(acked -> outboxKey != null && prepared.batch().outboxed() > 0
                        ? forwardInBackground(run, prepared.batch().outboxed()) : Mono.empty())
                .then();
    }

    /**
     * The commit script, the durability wait and the counters of one commit, as one chain that is never cancelled; sent
     * again once if it reached Redis before the run's previous commit ({@link CommitOrder}).
     */
    private java.util.concurrent.CompletableFuture<Long> landed(TaskContext.PreparedCommit prepared, String token, Run run) {
        long started = System.nanoTime();
        String runId = run.id;
        return run.commits.send(Mono.defer(() -> durability.durable(commitScript.commit(prepared.batch(), leaseKey,
                metaKey, token, group, prepared.previousCommit(), prepared.dedupe(), runId))), commit -> commit
                .doOnError(CommitDurability.CommitNotReplicatedException.class, e -> counters.notReplicated.increment())
                .doOnSubscribe(s -> counters.commitsInFlight.incrementAndGet())
                .doFinally(signal -> counters.commitsInFlight.decrementAndGet())
                // counted only once durable (WAIT): a commit the replicas did not acknowledge may vanish in a failover
                // and be processed again; one that survives is counted by the next run (countUncertain)
                .doOnError(e -> {
                    // its outcome unknown (a lost reply; with WAIT also a WAIT that failed or timed out after the script
                    // ran): the next run counts it if the meta hash shows it made, with WAIT once its own first commit
                    // is durable. With WAIT such commits were never counted until 2026-12-07: a manual failover (the
                    // demoted master unblocks every WAIT) left 10-20 of 480 records out of recordsIn for good (found
                    // in review, ManualFailoverCountsTest)
                    if (!refusedByRedis(e)) {
                        uncertainCommits.add(new UncertainCommit(prepared, runId));
                    }
                })
                .doOnNext(acked -> {
                    counted(prepared, acked, System.nanoTime() - started);
                    for (Map.Entry<UncertainCommit, Long> made; (made = run.madeAwaitingDurable.poll()) != null; ) {
                        counted(made.getKey().prepared(), made.getValue(), -1);
                    }
                })
                .doOnError(e -> log.warn("task {}: commit {} of {} entries failed: {}", id, prepared.previousCommit() + 1,
                        prepared.entries(), e.toString())));
    }

    /**
     * A commit that failed without its outcome known: its connection was lost before the reply (on a Redis Cluster the
     * client fails the commands of a lost connection instead of sending them again) or the reply did not come in time.
     * The task's next run counts it if the meta hash shows that this run made it ({@link #countUncertain}).
     */
    private record UncertainCommit(TaskContext.PreparedCommit prepared, String runId) {
    }

    /**
     * @return true when Redis refused the commit (it wrote nothing): fenced, out of sequence, a failed check, out of
     *         memory. A commit whose replicas did not acknowledge it in time was made: its outcome is settled by the
     *         next run ({@link #countUncertain}), as one whose reply was lost
     */
    private static boolean refusedByRedis(Throwable e) {
        return e instanceof TaskFencedException || e instanceof io.quantumtrader.streams.redis.CommitSequenceException
                || e instanceof io.quantumtrader.streams.redis.ScriptRefusedException;
    }

    /**
     * A dedupe log that is gone while the meta hash says the task's commits recorded ids in it (a partial loss of
     * Redis' data, a {@code DEL}): retries of those events within the dedupe window will be processed again. Said with
     * an ERROR and counted ({@code qt.streams.state.lost{what=dedupe_log}}); found in review (2026-12-07): it was
     * forgotten without a word, and a producer's retry seconds later was processed twice.
     */
    private void checkDedupeLog(Map<String, String> meta, Map<String, Long> dedupeIds) {
        long recorded;
        try {
            recorded = Long.parseLong(meta.getOrDefault("dedupe-ids", "0"));
        } catch (NumberFormatException e) {
            recorded = 0;
        }
        if (config.ingest().dedupeMaxIds() > 0 && recorded > 0 && dedupeIds.isEmpty()) {
            metrics.stateLost(id, "dedupe_log", 1);
            log.error("task {}: its dedupe log {} is gone although its commits recorded {} event ids in it ({}): did Redis "
                    + "lose part of its data? A retry of one of those events within the dedupe window will be processed "
                    + "again", id, dedupeKey, recorded, metaKey);
        }
    }

    /**
     * A meta hash that is gone while the task's dedupe log, which only its commits write, holds ids (a partial loss of
     * Redis' data, a {@code DEL}): its stream times, watermarks and commit sequence start from nothing, so records late
     * before are accepted and windows closed before may emit a second final result. Said with an ERROR and counted
     * ({@code qt.streams.state.lost{what=meta}}), once ({@link #LOST_REPORTED}); found in review (2026-12-07): without a
     * word.
     *
     * @return whether it reported a loss
     */
    private boolean checkMeta(Map<String, String> meta, Map<String, Long> dedupeIds) {
        if (meta.containsKey("commit-seq") || meta.containsKey(LOST_REPORTED)) {
            return false;
        }
        // the dedupe log is the group's own: the state stores are named by application and store, not by sub-topology,
        // so a sub-topology that moved to a new id (a release that inserted one before it, reprocessing knowingly)
        // finds them full and a meta hash of its new id empty, which is no loss (review 2026-12-07)
        boolean committedBefore = !dedupeIds.isEmpty();
        if (committedBefore) {
            metrics.stateLost(id, "meta", 1);
            log.error("task {}: its meta hash {} is gone although its dedupe log holds what its commits wrote: did "
                    + "Redis lose part of its data? Its stream times start again from nothing: records late before are "
                    + "accepted, and a window closed before may emit a second result", id, metaKey);
        }
        return committedBefore;
    }

    /** A meta hash field noting that its loss was reported, so that later starts do not report it again. */
    private static final String LOST_REPORTED = "lost-reported";

    /**
     * A task's input stream that was gone, although the task had committed entries of it, when its group was made again
     * (create-group.lua): what was written to it after the task's last read was lost with it, how much is not known;
     * counted as one in {@code qt.streams.input.deleted.unread}, with an ERROR (found in review, 2026-12-07: a stream
     * deleted with unread entries while the service was down was made again without a word).
     */
    /** Says that a consumer group past its stream's last id was set back to it (create-group.lua, returns 3). */
    static void reportGroupSetBack(org.slf4j.Logger log, String task, String group, String key) {
        log.warn("task {}: consumer group {} was past the last id of stream {} (its id set back by XSETID, as the fix of "
                + "used-up ids does) and is set back to it: entries written since are read (it would have skipped them)",
                task, group, key);
    }

    static void reportStreamWasGone(org.slf4j.Logger log, io.quantumtrader.streams.metrics.StreamsMetrics metrics,
                                    String task, String stream, String key) {
        metrics.deletedUnread(stream, -1);
        log.error("task {}: stream {} was gone (deleted, or lost with part of Redis' data) although the task had committed "
                + "entries of it, and is made again: entries written to it after the task's last read, if any, were lost "
                + "with it (counted as one in qt.streams.input.deleted.unread)", task, key);
    }

    /**
     * Reports what of the task's committed state Redis lost ({@link #checkDedupeLog}, {@link #checkMeta},
     * {@link #checkStores}), then removes the meta hash's notes of hashes found cut by a commit ({@code fields-lost.*},
     * commit.lua), so each loss is reported once, by the start after it.
     */
    private Mono<Void> reportLostState(Map<String, String> meta, Map<String, CachedKeyValueStore<?, ?>> stores,
                                       Map<String, Long> dedupeIds) {
        checkDedupeLog(meta, dedupeIds);
        // what is reported is made the new record, so that a later start (another instance, a restart) or this run's
        // first commit does not report the same loss again (review 2026-12-07: every later start counted it again)
        Map<String, String> record = new LinkedHashMap<>(checkStores(meta, stores));
        if (checkMeta(meta, dedupeIds)) {
            record.put(LOST_REPORTED, "1");
        }
        Object[] noted = meta.keySet().stream().filter(f -> f.startsWith("fields-lost.")).toArray();
        Mono<Void> forget = noted.length == 0 ? Mono.empty() : redis.opsForHash().remove(metaKey, noted).then();
        return record.isEmpty() ? forget : forget.then(redis.<String, String>opsForHash().putAll(metaKey, record).then());
    }

    /**
     * A state store holding fewer entries than the task's last commit that wrote it left (its hash deleted or cut by
     * hand, a partial loss of Redis' data; commit.lua records each hash's field count in the meta hash): the state goes
     * on from what is left, counts from nothing. Said with an ERROR and counted ({@code qt.streams.state.lost{what=store}});
     * so is a hash a commit found cut since the commit before ({@code fields-lost.<key>} in the meta hash: lost while
     * the task ran). Found in review (2026-12-07): a lost store's count of 10 went on as 1 without a word.
     */
    private Map<String, String> checkStores(Map<String, String> meta, Map<String, CachedKeyValueStore<?, ?>> stores) {
        Map<String, String> reported = new LinkedHashMap<>();
        meta.forEach((field, value) -> {
            if (field.startsWith("fields-lost.")) {
                String key = field.substring("fields-lost.".length());
                String[] counts = value.split("/");
                metrics.stateLost(id, "store", 1);
                log.error("task {}: state hash {} held {} fields where the task's commit before had left {} (deleted or cut "
                        + "while the task ran: did Redis lose part of its data?); the task went on from what was left", id,
                        key, counts[0], counts.length > 1 ? counts[1] : "?");
            }
        });
        for (CachedKeyValueStore<?, ?> store : stores.values()) {
            String recorded = meta.get("fields." + store.hashKey());
            long loaded = store.approximateNumEntries();
            long expected;
            try {
                expected = recorded == null ? 0 : Long.parseLong(recorded);
            } catch (NumberFormatException e) {
                continue;
            }
            if (loaded < expected) {
                reported.put("fields." + store.hashKey(), Long.toString(loaded));
                metrics.stateLost(id, "store", 1);
                log.error("task {}: state store '{}' ({}) holds {} entries where its last commit left {}: did Redis lose part "
                        + "of its data, or was the hash cut by hand? The task goes on from what is left", id, store.name(),
                        store.hashKey(), loaded, expected);
            }
        }
        return reported;
    }

    /**
     * Counts the commits of earlier runs whose outcome was unknown ({@link UncertainCommit}) that the meta hash shows
     * made, by the run that sent them ({@code commit-run.<seq mod 8>}, commit.lua); forgets the others (not made: their
     * batches were processed again and counted then). Before, such a commit that had landed was never counted.
     *
     * @param meta the task's meta hash as this run loaded it
     * @param run  this run: with WAIT the commits found made are counted once its first commit is durable
     */
    private void countUncertain(Map<String, String> meta, Run run) {
        long last = Long.parseLong(meta.getOrDefault("commit-seq", "0"));
        long counted = highestCountedCommit.get();
        if (last < counted) {
            // Redis went back in time: an operator must know (found in review, 2026-12-07: only the next commit's
            // OUT_OF_SEQUENCE warning said anything, and the counters counted the lost batches twice)
            counters.commitsLost.add(counted - last);
            if (last == 0) {
                // no meta hash at all: not an older snapshot but a Redis that restarted empty (or lost that key), with
                // the inputs most likely gone too (review 2026-12-07: the message said their batches were processed again)
                log.error("task {}: Redis lost commits 1..{} of this task: its meta hash is gone (Redis restarted without "
                        + "its data, or lost part of it). What those commits wrote is gone with it where Redis lost it; "
                        + "inputs still there are processed again; check Redis' persistence", id, counted);
            } else {
                log.error("task {}: Redis lost commits {}..{} of this task (its meta hash says {}): it restarted from an "
                        + "older RDB snapshot or an AOF without its tail, or failed over to a replica behind its master. "
                        + "Their batches are processed again (outputs stay exactly once) and counted twice in "
                        + "records.in/out; check Redis' persistence (appendfsync) and replication", id, last + 1, counted, last);
            }
            highestCountedCommit.set(last);
        }
        for (UncertainCommit u; (u = uncertainCommits.poll()) != null; ) {
            long made = u.prepared().previousCommit() + 1;
            String slot = Long.toString(made % COMMITS_KEPT);
            if (last >= made && last - made < COMMITS_KEPT && u.runId().equals(meta.get("commit-run." + slot))) {
                long acked = Long.parseLong(meta.getOrDefault("commit-acked." + slot, "0"));
                if (durability.waitsForReplicas()) {
                    log.info("task {}: commit {} of the previous run, whose outcome was unknown, had been made: counted "
                            + "once this run's first commit is replicated", id, made);
                    run.madeAwaitingDurable.add(Map.entry(u, acked));
                } else {
                    log.info("task {}: commit {} of the previous run, whose reply was lost, had been made: counted now", id, made);
                    counted(u.prepared(), acked, -1);
                }
            }
        }
    }

    /**
     * Counts a commit that landed: its records, outputs, dead letters, drops and acknowledgements.
     *
     * @param nanos how long the commit took, ns; negative when unknown (not timed)
     */
    private void counted(TaskContext.PreparedCommit prepared, long acked, long nanos) {
        highestCountedCommit.accumulateAndGet(prepared.previousCommit() + 1, Math::max);
        if (nanos >= 0) {
            counters.commitNanos.add(nanos);
            metrics.commit(id, prepared.entries(), nanos);
        }
        counters.recordsOut.add(prepared.outputs());
        counters.deadLettered.add(prepared.deadLetters());
        counters.duplicates.add(prepared.duplicates());
        prepared.rejections().forEach((streamAndReason, n) -> {
            int bar = streamAndReason.indexOf('|');
            metrics.rejected(streamAndReason.substring(0, bar), streamAndReason.substring(bar + 1), n);
            refusals.refused(streamAndReason.substring(0, bar), streamAndReason.substring(bar + 1), n);
            counters.rejected.add(n);
        });
        TaskContext.countStages(prepared.dropped(), prepared.counted(), counters, metrics);
        counters.acknowledged.add(acked);
        counters.commits.increment();
        // last: whoever waits for the records in (a test, the drained check) sees every other count of the commit
        processed.addAndGet(prepared.entries());
        counters.recordsIn.add(prepared.entries());
        if (prepared == endOfInputCommit) {
            endNotices.ended(sinkStreams);
        }
    }
}
