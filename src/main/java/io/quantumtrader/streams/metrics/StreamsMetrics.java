package io.quantumtrader.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's Micrometer meters (names and tags: docs/OPERATIONS.md). Every meter carries the tag
 * {@code application}. Recording methods are cheap (meters are cached per node / task) and thread-safe.
 */
public final class StreamsMetrics {

    public static final String PREFIX = "qt.streams.";

    /**
     * Tag of {@code qt.streams.job.failures} naming the background job ({@code background_job} in Prometheus). Not
     * {@code job}: Prometheus sets {@code job} on every sample of a scraped target and renames an exported one
     * {@code exported_job}, so {@code qt_streams_job_failures_total{job="lag.refresh"}} matched nothing (found in
     * review, 2026-12-06).
     */
    public static final String BACKGROUND_JOB_TAG = "background.job";

    private final MeterRegistry registry;
    private final Tags common;
    private final Map<String, NodeMeters> nodes = new ConcurrentHashMap<>();
    private final Map<String, TaskMeters> tasks = new ConcurrentHashMap<>();
    /** Global-table entries already counted as skipped ({@code <store>|<stream key>/<entry id>}), at most 10,000. */
    private final java.util.Set<String> skippedGlobalEntries = ConcurrentHashMap.newKeySet();
    /** Per {@code store|partition key}, the largest count of entries deleted before a replica read them. */
    private final Map<String, Long> deletedBeforeRead = new ConcurrentHashMap<>();
    /**
     * {@code qt.streams.e2e.latency}, seconds: a summary (a double sum) and not a timer, whose sum of nanoseconds in a
     * {@code long} overflows at 292 years in all (23 records of 2013 data) and went negative.
     */
    private final DistributionSummary endToEnd;
    /** The function-based meters this runtime registered, removed by {@link #release()}. */
    private final java.util.List<Meter> owned = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean warnedShared = new java.util.concurrent.atomic.AtomicBoolean();

    public StreamsMetrics(MeterRegistry registry, String applicationId) {
        this.registry = registry;
        this.common = Tags.of("application", applicationId);
        this.endToEnd = DistributionSummary.builder(PREFIX + "e2e.latency").baseUnit("seconds")
                .description("event time of an output record to the moment it was produced, seconds")
                .tags(common).publishPercentiles(0.5, 0.95, 0.99).register(registry);
    }

    /** @return the registry meters are registered in */
    public MeterRegistry registry() {
        return registry;
    }

    /** One processor node ran over a batch: {@code in} records reached it, {@code out} left it, in {@code nanos}. */
    public void node(String node, int in, int out, long nanos) {
        NodeMeters m = nodes.computeIfAbsent(node, n -> new NodeMeters(
                Counter.builder(PREFIX + "node.records.in").tags(common).tag("node", n).register(registry),
                Counter.builder(PREFIX + "node.records.out").tags(common).tag("node", n).register(registry),
                Timer.builder(PREFIX + "node.process").description("time a node spends on the records of one batch")
                        .tags(common).tag("node", n).register(registry)));
        m.in.increment(in);
        m.out.increment(out);
        m.process.record(Duration.ofNanos(nanos));
    }

    /**
     * A task committed a batch of {@code entries} inputs in {@code nanos} (script sent → reply). A commit of no input
     * (a punctuation's, a hold mark's) is timed but not in {@code task.batch.size}, which it diluted as a batch of 0
     * until 2026-12-07 (found in review).
     */
    public void commit(String taskId, int entries, long nanos) {
        TaskMeters m = task(taskId);
        m.commit.record(Duration.ofNanos(nanos));
        if (entries > 0) {
            m.batchSize.record(entries);
        }
    }

    /**
     * Counts a task's read that came back without its entries because its reply (or connection) was lost, and was
     * followed by a re-read of the consumer's pending list ({@code PartitionReader}; docs/OPERATIONS.md "Connections
     * lost before a reply").
     *
     * @param task   the task's id
     * @param reason {@code resent} (a read sent twice found the first run's entries pending) or
     *               {@code connection_lost} (the read's connection was lost before its reply)
     */
    public void readAgain(String task, String reason) {
        Counter.builder(PREFIX + "reads.again")
                .description("reads whose reply or connection was lost, followed by a re-read of the pending list")
                .tags(common).tag("task", task).tag("reason", reason).register(registry).increment();
    }

    /**
     * A global table's entry its replicas skip (one a source would refuse, no subject, or not decodable): counted once per entry in
     * {@code qt.streams.global.entries.skipped{store, reason}}, however many tasks and runs rebuild the table from the
     * stream (after the first 10,000 distinct entries, each time a replica reads one).
     *
     * @param entry  {@code <stream key>/<entry id>}
     * @param reason a source's refusal reason ({@code invalid_envelope}, {@code wrong_type}, … as in
     *               {@code qt.streams.ingest.rejected}), {@code null_key} (no subject) or {@code invalid_value} (data
     *               that does not decode to the table's value type)
     */
    public void globalEntrySkipped(String store, String entry, String reason) {
        String id = store + "|" + entry;
        if (skippedGlobalEntries.size() >= 10_000 || skippedGlobalEntries.add(id)) {
            Counter.builder(PREFIX + "global.entries.skipped")
                    .description("entries of a global table's stream its replicas skip: refused as at a source, no subject, or not decodable")
                    .tags(common).tag("store", store).tag("reason", reason).register(registry).increment();
        }
    }

    /**
     * A global table replica (one per task, one per global-table reader) found its stream reset — its ids went back
     * below the last one read, or it was deleted and created again — and reads the table again from the start:
     * {@code qt.streams.global.resets{store}}, once per replica that found it (until 2026-12-08 a WARN line only).
     *
     * @param count resets (0 when a task starts: registered at 0 so that the first reset shows to {@code rate()})
     */
    public void globalTableReset(String store, int count) {
        Counter.builder(PREFIX + "global.resets")
                .description("times a global table's replica found its stream reset (ids went back, or deleted and created again) and read the table again")
                .tags(common).tag("store", store).register(registry).increment(count);
    }

    /**
     * Entries of a global table's stream partition deleted (MAXLEN, XTRIM, XDEL) before a replica read them from the
     * start: counted in {@code qt.streams.global.entries.skipped{store, reason="deleted_before_read"}} once each, however
     * many tasks and runs report them (the counter grows by the count's increase over the largest reported for the
     * partition).
     *
     * @param partitionKey the stream partition's Redis key
     * @param count        entries deleted before the replica's read: its entries-added less its length then
     */
    public void globalEntriesDeletedBeforeRead(String store, String partitionKey, long count) {
        long[] increase = {0};
        deletedBeforeRead.compute(store + "|" + partitionKey, (k, old) -> {
            long before = old == null ? 0 : old;
            increase[0] = Math.max(0, count - before);
            return Math.max(before, count);
        });
        if (increase[0] > 0) {
            Counter.builder(PREFIX + "global.entries.skipped")
                    .description("entries of a global table's stream its replicas skip: refused as at a source, no subject, or not decodable")
                    .tags(common).tag("store", store).tag("reason", "deleted_before_read").register(registry)
                    .increment(increase[0]);
        }
    }

    /**
     * Records a stage dropped for another reason than lateness (Kafka Streams' {@code dropped-records}), counted when
     * their batch's commit landed.
     *
     * @param reason {@code null_key}, {@code null_value}, {@code negative_timestamp} or {@code timestamp_out_of_range}
     */
    public void dropped(String node, String reason, int count) {
        Counter.builder(PREFIX + "records.dropped").description("records a stage dropped (a null key or value where it needs one; a late record under reason late), by node and reason")
                .tags(common).tag("node", node).tag("reason", reason).register(registry).increment(count);
    }

    /**
     * Records a processor counted under a reason of its own ({@code ProcessorContext#count}), counted when their batch's
     * commit landed; 0 registers the counter.
     */
    public void counted(String node, String reason, int count) {
        Counter.builder(PREFIX + "node.records.counted").description("records a processor counted under a reason of its own (e.g. prints the price band refused), by node and reason")
                .tags(common).tag("node", node).tag("reason", reason).register(registry).increment(count);
    }

    /**
     * Input entries refused at their source (DESIGN §2 "Hostile input"), committed to the dead-letter stream.
     *
     * @param reason the refusal reason tag, e.g. {@code future_event_time}
     */
    public void rejected(String stream, String reason, int count) {
        Counter.builder(PREFIX + "ingest.rejected").description("input entries refused at the source and dead-lettered, by reason")
                .tags(common).tag("stream", stream).tag("reason", reason).register(registry).increment(count);
    }

    /**
     * Input entries deleted from their stream (MAXLEN, XTRIM, XDEL) before this application's consumer group read them:
     * lost to it, dead-lettered as one entry naming the range ({@code deleted-unread.lib.lua}).
     *
     * @param count entries deleted unread; -1 when Redis could not tell how many (counted as one); 0 registers the
     *              meter at 0 (a task does so for each input when it starts, so dashboards see it before any loss)
     */
    public void deletedUnread(String stream, long count) {
        Counter.builder(PREFIX + "input.deleted.unread")
                .description("input entries deleted from their stream before the consumer group read them (counted as 1 when Redis could not tell how many)")
                .tags(common).tag("stream", stream).register(registry).increment(count < 0 ? 1 : count);
    }

    /**
     * Task {@code task} found part of its committed state gone from Redis ({@code what}: {@code dedupe_log}, the event
     * ids its commits recorded; {@code meta}, its meta hash: stream times, watermarks, commit sequence; {@code store}, a
     * state store's hash cut below what its last commit left): a partial loss of Redis' data or a {@code DEL}.
     *
     * @param count how many losses (0 when a task starts: every {@code what} registered at 0, so the first loss shows
     *              to {@code rate()}/{@code increase()}; until 2026-12-08 registered by the first loss, which no such
     *              alert saw)
     */
    public void stateLost(String task, String what, int count) {
        Counter.builder(PREFIX + "state.lost")
                .description("a task found part of its committed state gone from Redis (what: dedupe_log, meta, store)")
                .tags(common).tag("task", task).tag("what", what).register(registry).increment(count);
    }

    /**
     * Entries a trimming pass removed from {@code stream} (every partition): {@code reason} {@code retention} (older
     * than the catalog's retention, never past a lagging group) or {@code purged} (a repartition stream's entries its
     * reader had processed, as Kafka Streams purges repartition topics). Found in review (2026-12-07): only a DEBUG line
     * said what retention removed.
     *
     * @param count entries removed; 0 registers the meter at 0
     */
    public void trimmed(String stream, String reason, long count) {
        Counter.builder(PREFIX + "retention.trimmed")
                .description("entries trimming removed: older than the stream's retention, or a repartition stream's entries its reader processed (purged)")
                .tags(common).tag("stream", stream).tag("reason", reason).register(registry).increment(count);
    }

    /** An output record was produced {@code millis} (ms) after its event time. */
    public void endToEnd(long millis) {
        if (millis >= 0) {
            endToEnd.record(millis / 1000.0);
        }
    }

    /** Registers a gauge with extra tags (key, value pairs); removed again by {@link #release()}. */
    public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> value, String... tags) {
        own(name, tags, () -> Gauge.builder(PREFIX + name, obj, value).description(description).tags(common).tags(tags).register(registry));
    }

    /** Registers a monotonic counter read from a function; removed again by {@link #release()}. */
    public <T> void functionCounter(String name, String description, T obj, ToDoubleFunction<T> value, String... tags) {
        own(name, tags, () -> FunctionCounter.builder(PREFIX + name, obj, value).description(description).tags(common).tags(tags).register(registry));
    }

    /**
     * Registers {@code qt.streams.job.failures{application, background.job=<job>}} read from {@code failures}; removed
     * again by {@link #release()}.
     *
     * @param job the job's tag value, e.g. {@code lag.refresh}
     */
    public <T> void jobFailures(String job, T obj, ToDoubleFunction<T> failures) {
        functionCounter(JOB_FAILURES, JOB_FAILURES_DESCRIPTION, obj, failures, BACKGROUND_JOB_TAG, job);
    }

    /**
     * Registers the same {@code qt.streams.job.failures} for a job outside a runtime (the service's own: the health
     * meter, the reachability pings), with the tag keys and description of the runtime's: a meter name registered with
     * other tag keys is refused by Prometheus' registry.
     *
     * @param applicationId the {@code application} tag, the runtime's application id
     * @param job           the job's tag value
     * @param failures      its failures, every start's
     */
    public static void jobFailures(MeterRegistry registry, String applicationId, String job,
                                   java.util.concurrent.atomic.LongAdder failures) {
        FunctionCounter.builder(PREFIX + JOB_FAILURES, failures, java.util.concurrent.atomic.LongAdder::sum)
                .description(JOB_FAILURES_DESCRIPTION).tag("application", applicationId).tag(BACKGROUND_JOB_TAG, job)
                .register(registry);
    }

    private static final String JOB_FAILURES = "job.failures";
    private static final String JOB_FAILURES_DESCRIPTION = "failed or timed-out runs of a background job (retried)";

    /** Registers a gauge read from a supplier; removed again by {@link #release()}. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        own(name, tags, () -> Gauge.builder(PREFIX + name, value).description(description).tags(common).tags(tags).register(registry));
    }

    /**
     * Registers a meter that reads this runtime's objects, and keeps it for {@link #release()}. One already in the
     * registry (another runtime of the application running in this JVM on the same registry) is not taken over: Micrometer
     * would hand back that one, bound to the other runtime's objects, so it is left to its owner and said once.
     */
    private void own(String name, String[] tags, Supplier<Meter> register) {
        if (registry.find(PREFIX + name).tags(common).tags(tags).meter() != null) {
            if (warnedShared.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(StreamsMetrics.class).warn("meters of application {} are already in this "
                        + "registry, bound to another runtime running in this JVM ({} first): they show that runtime, not this "
                        + "one; give each runtime a registry of its own", common, PREFIX + name);
            }
            return;
        }
        owned.add(register.get());
    }

    /**
     * Removes from the registry the gauges and function counters {@link #gauge}/{@link #functionCounter} registered: they
     * read this runtime's objects, and a runtime started after it on the same registry registers its own (until
     * 2026-12-07 Micrometer handed it back these, bound to the closed runtime: {@code qt.streams.state} read 0 while the
     * new one ran; found in review, {@code RuntimeRestartMetersTest}). Counters, timers and summaries stay: a new runtime
     * adds to them.
     */
    public void release() {
        owned.forEach(registry::remove);
        owned.clear();
    }

    private TaskMeters task(String taskId) {
        return tasks.computeIfAbsent(taskId, t -> new TaskMeters(
                Timer.builder(PREFIX + "task.commit").description("commit script round trip").tags(common).tag("task", t)
                        .publishPercentiles(0.5, 0.99).register(registry),
                DistributionSummary.builder(PREFIX + "task.batch.size").description("input entries per committed batch (of input entries)")
                        .tags(common).tag("task", t).register(registry)));
    }

    private record NodeMeters(Counter in, Counter out, Timer process) {
    }

    private record TaskMeters(Timer commit, DistributionSummary batchSize) {
    }
}
