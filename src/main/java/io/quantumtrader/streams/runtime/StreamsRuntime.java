package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.CommitConnection;
import io.quantumtrader.streams.redis.CommitRejectedException;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.TaskFencedException;
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
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Topology} on Redis Streams, as Kafka Streams' {@code KafkaStreams}: one {@link StreamTask} per
 * (sub-topology, partition), each its own Reactor pipeline. This instance owns every task (scale-out with leases
 * comes later); a failed task is restarted with backoff from its last commit.
 *
 * <pre>{@code
 * try (StreamsRuntime runtime = new StreamsRuntime(topology, StreamsConfig.defaults(), redis)) {
 *     runtime.start();
 *     ...
 * } // close(): stop reading, commit what is in flight, then stop
 * }</pre>
 */
public final class StreamsRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsRuntime.class);

    private final Topology topology;
    private final StreamsConfig config;
    private final ReactiveStringRedisTemplate redis;
    private final RuntimeCounters counters = new RuntimeCounters();
    private final StreamsMetrics metrics;
    private final Map<String, SourceLag> lagSnapshot = new ConcurrentHashMap<>();
    /** How often consumer lag, pending entries and oldest pending age are read for the gauges. */
    public static final Duration LAG_REFRESH = Duration.ofSeconds(5);
    private final List<StreamTask> tasks = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();
    private volatile RuntimeState state = RuntimeState.CREATED;
    private CommitConnection commitConnection;
    private EngineAlerts alerts;
    private volatile CountDownLatch finished = new CountDownLatch(0);

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
    }

    /**
     * Creates the consumer groups (XGROUP CREATE ... MKSTREAM, from the start of each stream) and starts every task.
     *
     * @throws TopologyException     when the source streams of one sub-topology have different partition counts
     * @throws IllegalStateException when already started
     */
    public synchronized void start() {
        if (state != RuntimeState.CREATED) {
            throw new IllegalStateException("runtime is " + state + "; start() may be called once");
        }
        topology.validate(stream -> config.catalog().spec(stream).partitions());
        alerts = new EngineAlerts(redis, config, topology.applicationId());
        commitConnection = CommitConnection.open(redis).orElse(null);
        if (commitConnection == null) {
            log.warn("not on a standalone Lettuce connection: commits are sent one at a time (no pipelining)");
        }
        StreamKeys keys = new StreamKeys(config.namespace());
        StreamAdmin admin = new StreamAdmin(redis);
        List<Mono<Boolean>> groups = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            int partitions = config.catalog().spec(s.sourceStreams().iterator().next()).partitions();
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (int p = 0; p < partitions; p++) {
                for (String stream : s.sourceStreams()) {
                    groups.add(admin.ensureGroup(keys.stream(stream, p), group));
                }
                tasks.add(new StreamTask(s, p, topology, config, redis, counters, metrics, commitConnection));
            }
        }
        Flux.concat(groups).blockLast(Duration.ofSeconds(30));
        finished = new CountDownLatch(tasks.size());
        for (StreamTask task : tasks) {
            subscriptions.add(Mono.defer(task::run)
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10))
                            .filter(e -> !(e instanceof TaskFencedException) && !isPersistent(e) && state == RuntimeState.RUNNING)
                            .doBeforeRetry(sig -> counters.restarts.increment())
                            .doBeforeRetry(sig -> log.warn("task {} failed, restarting from its last commit: {}",
                                    task.id(), sig.failure().toString())))
                    .doFinally(signal -> finished.countDown())
                    .subscribe(null, error -> {
                        if (isPersistent(error)) {
                            // retrying would fail the same way; nothing of the batch was written (commit.lua checks first)
                            log.error("task {} stopped: its commit was refused and would be every time: {}. Fix the "
                                    + "key or group named, then restart the service", task.id(), error.getMessage());
                            log.debug("task {} stopped", task.id(), error);
                            alerts.critical("task " + task.id() + " stopped: commit refused: " + error.getMessage());
                        } else {
                            log.error("task {} stopped: {}", task.id(), error.toString());
                            log.debug("task {} stopped", task.id(), error);
                        }
                        if (!(error instanceof TaskFencedException)) {
                            state = RuntimeState.ERROR;
                        }
                    }));
        }
        RetentionTrimmer trimmer = new RetentionTrimmer(topology, admin, keys, config.catalog());
        subscriptions.add(Flux.interval(config.trimInterval(), config.trimInterval())
                .concatMap(tick -> trimmer.trimOnce(System.currentTimeMillis())
                        .then(removeStaleConsumers(admin, keys))
                        .onErrorResume(e -> {
                            log.warn("retention trimming failed, will retry: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe());
        registerMeters();
        subscriptions.add(Flux.interval(Duration.ZERO, LAG_REFRESH)
                .concatMap(tick -> refreshLag().onErrorResume(e -> {
                    log.warn("reading consumer lag failed, will retry: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe());
        state = RuntimeState.RUNNING;
        log.info("runtime '{}' started {} task(s) as consumer '{}'", topology.applicationId(), tasks.size(), config.instanceId());
    }

    /** Graceful shutdown with a 30 s limit; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Graceful shutdown: every task stops reading, finishes and commits the batches in flight, then stops.
     *
     * @return {@code true} when every task stopped within {@code timeout}; otherwise they are cancelled (uncommitted
     *         batches are re-processed by the next owner, so nothing is lost)
     */
    public synchronized boolean close(Duration timeout) {
        if (state == RuntimeState.NOT_RUNNING || state == RuntimeState.CREATED) {
            state = RuntimeState.NOT_RUNNING;
            return true;
        }
        state = RuntimeState.PENDING_SHUTDOWN;
        tasks.forEach(StreamTask::stop);
        boolean clean;
        try {
            clean = finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            log.warn("runtime '{}': tasks did not stop within {}; cancelling them", topology.applicationId(), timeout);
        }
        subscriptions.forEach(Disposable::dispose);
        closeCommitConnection();
        state = RuntimeState.NOT_RUNNING;
        return clean;
    }

    /**
     * Simulates the process dying: cancels every task at once, with no commit of the batches in flight. What they had
     * read stays pending in Redis and is reclaimed by the next runtime. For crash tests and chaos drills.
     */
    public synchronized void kill() {
        subscriptions.forEach(Disposable::dispose);
        closeCommitConnection();
        state = RuntimeState.NOT_RUNNING;
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
        StreamKeys keys = new StreamKeys(config.namespace());
        StreamAdmin admin = new StreamAdmin(redis);
        List<Mono<SourceLag>> all = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    int partition = p;
                    all.add(admin.groupLag(keys.stream(stream, p), group)
                            .map(l -> new SourceLag(group, stream, partition, l.pending(), l.lag(),
                                    l.oldestPendingAgeMs(System.currentTimeMillis()), l.consumers())));
                }
            }
        }
        return Flux.concat(all).collectList();
    }

    /**
     * Waits until every source of the topology is read and acknowledged (lag 0, nothing pending), no commit
     * completed while checking and no commit reply is outstanding, i.e. the topology has drained what was published
     * before the call and the counters include it.
     *
     * @return true when drained within {@code timeout}
     */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long commits = counters.commits();
            List<SourceLag> lags = lag().block(Duration.ofSeconds(10));
            // nothing unread or unacknowledged, no commit completed meanwhile and none whose reply is still on its way
            if (lags != null && lags.stream().allMatch(SourceLag::caughtUp) && counters.commits() == commits
                    && counters.commitsInFlight() == 0) {
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

    /** @return true for a commit refused by a check that will fail the same way on every retry */
    private static boolean isPersistent(Throwable e) {
        return e instanceof CommitRejectedException r && !r.isTransient();
    }

    private Mono<Long> removeStaleConsumers(StreamAdmin admin, StreamKeys keys) {
        List<Mono<Long>> all = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    all.add(admin.removeStaleConsumers(keys.stream(stream, p), group, config.instanceId(), config.staleConsumerIdle()));
                }
            }
        }
        return Flux.concat(all).reduce(0L, Long::sum);
    }

    /** Reads lag, pending entries and oldest pending age of every source now (the gauges show the last reading). */
    public Mono<List<SourceLag>> refreshLag() {
        return lag().doOnNext(list -> list.forEach(l -> lagSnapshot.put(lagKey(l.group(), l.stream(), l.partition()), l)));
    }

    /** @return the engine's meters */
    public StreamsMetrics metrics() {
        return metrics;
    }

    private void registerMeters() {
        metrics.functionCounter("records.in", "input entries processed in committed batches", counters, RuntimeCounters::recordsIn);
        metrics.functionCounter("records.out", "entries appended to output streams", counters, RuntimeCounters::recordsOut);
        metrics.functionCounter("commits", "committed batches", counters, RuntimeCounters::commits);
        metrics.functionCounter("deadlettered", "entries sent to dead-letter streams", counters, RuntimeCounters::deadLettered);
        metrics.functionCounter("task.restarts", "task restarts after a failure", counters, RuntimeCounters::restarts);
        metrics.functionCounter("processor.retries", "retries of failing processor functions", counters,
                RuntimeCounters::processorRetries);
        metrics.functionCounter("late.records.dropped", "records dropped because their window had closed", counters,
                RuntimeCounters::droppedLate);
        metrics.functionCounter("reclaimed", "pending entries claimed at task start (XAUTOCLAIM)", counters, RuntimeCounters::reclaimed);
        metrics.functionCounter("ingest.duplicates", "input entries whose event id was processed before (dedupe window): acknowledged and skipped",
                counters, RuntimeCounters::duplicates);
        metrics.gauge("state", "runtime state: 1 RUNNING, 0 otherwise", () -> state == RuntimeState.RUNNING ? 1 : 0);
        for (StreamTask t : tasks) {
            metrics.gauge("backpressure.demand", "batches requested by the task and not yet read", t,
                    StreamTask::outstandingDemand, "task", t.id());
            metrics.gauge("backpressure.read.ahead", "entries read from Redis and not yet committed", t,
                    StreamTask::readAhead, "task", t.id());
            metrics.functionCounter("backpressure.no.demand.seconds", "time the reader had no demand (task busy)", t,
                    StreamTask::noDemandSeconds, "task", t.id());
        }
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    String key = lagKey(group, stream, p);
                    String[] tags = {"group", group, "stream", stream, "partition", Integer.toString(p)};
                    metrics.gauge("consumer.lag", "entries not yet delivered to the group (XINFO GROUPS lag)",
                            () -> lagValue(key, SourceLag::lag), tags);
                    metrics.gauge("consumer.pending", "entries delivered and not acknowledged (PEL)",
                            () -> lagValue(key, SourceLag::pending), tags);
                    metrics.gauge("consumer.oldest.pending.age.seconds", "age of the oldest pending entry",
                            () -> lagValue(key, SourceLag::oldestPendingAgeMs) / 1000.0, tags);
                }
            }
        }
    }

    private long lagValue(String key, java.util.function.ToLongFunction<SourceLag> f) {
        SourceLag l = lagSnapshot.get(key);
        return l == null ? 0 : f.applyAsLong(l);
    }

    private static String lagKey(String group, String stream, int partition) {
        return group + "|" + stream + "|" + partition;
    }

    /** @return the lifecycle state */
    public RuntimeState state() {
        return state;
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
