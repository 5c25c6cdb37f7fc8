package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.CommitBatch;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.dsl.TopologyException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link StageContext} of one task: its stores, and the commit batch being built (outputs and dead letters).
 * Used by one task at a time, batch after batch.
 */
final class TaskContext implements TaskOutput {

    static final String EVENT_ERROR_STREAM = "system.event_error";

    private final String taskId;
    private final int partition;
    private final String applicationId;
    private final StreamKeys keys;
    private final StreamCatalog catalog;
    private final List<Duration> retryBackoff;
    private final Map<String, CachedKeyValueStore<?, ?>> stores;
    private final Map<String, GlobalStoreReplica> globalStores;
    private final String metaKey;
    private final RuntimeCounters counters;
    private final OutputIds ids;
    private final io.quantumtrader.streams.metrics.StreamsMetrics metrics;
    private final Map<String, Long> streamTimes = new HashMap<>();
    private final Map<String, Long> dirtyStreamTimes = new HashMap<>();
    private CommitBatch batch;
    private long commitSeq;
    /** Dead letters of this batch by input entry: the records that failed, and how many (the event_error ids). */
    private final FailedRecords deadLettered = new FailedRecords();
    private int outputs;
    private int deadLetters;
    private int duplicates;
    /** Records stages dropped in this batch, by {@code <node>|<reason>} ({@link #recordDropped}). */
    private final Map<String, Integer> dropped = new HashMap<>();
    private final Map<String, Integer> rejections = new HashMap<>();
    /** Records processors counted in this batch, by {@code <node>|<reason>} ({@link #recordCounted}). */
    private final Map<String, Integer> counted = new HashMap<>();
    /** The keys of {@link #counted} the record being processed counted (undone if it is aborted). */
    private final List<String> countedByRecord = new java.util.ArrayList<>();
    private final DedupeCache dedupe;
    /** Output stream keys by stream and partition, and {@code source} attributes by sink node (made once). */
    private final Map<String, String[]> streamKeys = new HashMap<>();
    private final Map<String, String> sources = new HashMap<>();
    private final IngestLimits limits;
    private final String dedupeKey;

    TaskContext(String taskId, int partition, String applicationId, StreamKeys keys, StreamCatalog catalog,
                List<Duration> retryBackoff, Map<String, CachedKeyValueStore<?, ?>> stores,
                Map<String, GlobalStoreReplica> globalStores, String metaKey, String dedupeKey, RuntimeCounters counters,
                io.quantumtrader.streams.metrics.StreamsMetrics metrics, IngestLimits limits) {
        this.metrics = metrics;
        this.limits = limits;
        this.dedupeKey = dedupeKey;
        this.dedupe = new DedupeCache(limits.dedupeWindow().toMillis(), limits.dedupeMaxIds());
        this.ids = new OutputIds(applicationId);
        this.globalStores = globalStores;
        this.metaKey = metaKey;
        this.counters = counters;
        this.taskId = taskId;
        this.partition = partition;
        this.applicationId = applicationId;
        this.keys = keys;
        this.catalog = catalog;
        this.retryBackoff = retryBackoff;
        this.stores = stores;
    }

    /**
     * Starts a new batch (of input entries, or a punctuation's): outputs and dead letters go to {@code next}. Outputs
     * not of an input entry of the batch are numbered within it, named by the task and the sequence its commit will
     * have ({@link OutputIds}): a batch that writes anything commits, so no two such batches share a name.
     */
    void begin(CommitBatch next) {
        batch = next;
        ids.begin("batch/" + taskId + "/" + (commitSeq + 1));
        deadLettered.clear();
        outputs = 0;
        deadLetters = 0;
        duplicates = 0;
        dropped.clear();
        rejections.clear();
        counted.clear();
        countedByRecord.clear();
    }

    @Override
    public void batchOrigins(List<Record.Origin> origins) {
        ids.batchOrigins(origins);
    }

    /**
     * Loads the event keys the task's commits recorded (its dedupe log in Redis: key → arrival ms, in the order the task
     * processed them). Ids recorded alone
     * (before 2026-12-06, when the key became stream + source + id: {@link DedupeCache#keyOf}) are kept apart and
     * matched by the id of an entry's key until the window has passed since the newest of them, so a producer's
     * retry of an event processed before an upgrade is still skipped after it.
     */
    void loadDedupe(Map<String, Long> ids) {
        Map<String, Long> keyed = new java.util.LinkedHashMap<>();   // in the order processed (DedupeCache.load)
        Map<String, Long> bare = new java.util.LinkedHashMap<>();
        ids.forEach((k, arrival) -> (DedupeCache.idOf(k) != null ? keyed : bare).put(k, arrival));
        dedupe.load(keyed);
        bareIds = null;
        if (!bare.isEmpty() && dedupe.enabled()) {
            bareIds = new DedupeCache(limits.dedupeWindow().toMillis(), limits.dedupeMaxIds());
            bareIds.load(bare);
            long newest = bare.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
            bareIdsUntilMs = newest + limits.dedupeWindow().toMillis();
        }
    }

    /** Ids loaded in the layout before 2026-12-06 (the id alone), while the window since their newest lasts; else null. */
    private DedupeCache bareIds;
    private long bareIdsUntilMs;

    /**
     * @return true when the entry's event (input stream, source, id) was processed before within the dedupe window: the entry is acknowledged
     *         with the batch and skipped (a producer's retry, a replay into the same namespace), and counted
     */
    @Override
    public boolean duplicate(String eventKey) {
        if (!dedupe.contains(eventKey) && !bareIdDuplicate(eventKey)) {
            return false;
        }
        duplicates++;
        return true;
    }

    /** @return whether the key's id alone was recorded before 2026-12-06 and is still within the window */
    private boolean bareIdDuplicate(String eventKey) {
        if (bareIds == null) {
            return false;
        }
        if (wallClockTime() > bareIdsUntilMs) {
            bareIds = null;   // every id recorded alone is older than the window now
            return false;
        }
        String id = DedupeCache.idOf(eventKey);
        return id != null && bareIds.contains(id);
    }


    @Override
    public void accepted(Record.Origin origin, String eventKey) {
        if (!dedupe.enabled()) {
            return;
        }
        long arrival = StreamEntry.arrivalMillis(origin.entryId(), wallClockTime()); // never ahead of the clock
        dedupe.add(eventKey, arrival);
        batch.seen(eventKey, arrival);
    }

    /** Loads the task's meta hash: stream times ({@code stream-time.<node>}) and the last {@code commit-seq}. */
    void loadMeta(Map<String, String> meta) {
        streamTimes.clear();
        dirtyStreamTimes.clear();
        commitSeq = Long.parseLong(meta.getOrDefault("commit-seq", "0"));
        meta.forEach((field, value) -> {
            if (field.startsWith("stream-time.")) {
                streamTimes.put(field.substring("stream-time.".length()), Long.parseLong(value));
            }
        });
    }

    /**
     * A processed batch, ready to commit.
     *
     * @param batch          outputs, state writes, stream times and acks
     * @param previousCommit the task's {@code commit-seq} this commit follows
     * @param entries        input entries acknowledged
     * @param outputs        entries appended to output streams
     * @param deadLetters    entries dead-lettered
     * @param duplicates     entries skipped as duplicates (event id seen within the dedupe window)
     * @param rejections     entries refused at their source, by {@code <stream>|<reason>}
     */
    record PreparedCommit(CommitBatch batch, long previousCommit, int entries, int outputs, int deadLetters,
                          int duplicates, Map<String, Integer> rejections, io.quantumtrader.streams.redis.DedupeWindow dedupe,
                          Map<String, Integer> dropped, Map<String, Integer> counted) {
    }

    /**
     * Closes the current batch: its store and stream-time writes join the commit, and become the task's view of its
     * state right away, so the next batch can be processed while this one commits. If any commit fails, the task
     * restarts and reloads its state from Redis, so this optimism never outlives a failed commit.
     *
     * @param entries input entries of the batch (0 for a punctuation)
     * @return the commit, or {@code null} when the batch changes nothing
     */
    PreparedCommit prepare(int entries) {
        stores.values().forEach(s -> s.writeTo(batch));
        dirtyStreamTimes.forEach((node, time) -> batch.put(metaKey, "stream-time." + node, Long.toString(time)));
        stores.values().forEach(CachedKeyValueStore::committed);
        streamTimes.putAll(dirtyStreamTimes);
        dirtyStreamTimes.clear();
        if (batch.isEmpty()) {
            // nothing to commit, so nothing to count twice: the counts of a punctuation that wrote nothing (a processor's
            // own, records it forwarded that a later stage dropped or found late) are counted now. Found in review
            // (2026-12-07): they were lost on Redis and counted by the test driver
            countStages(dropped, counted, counters, metrics);
            return null;
        }
        return new PreparedCommit(batch, commitSeq++, entries, outputs, deadLetters, duplicates, Map.copyOf(rejections),
                new io.quantumtrader.streams.redis.DedupeWindow(dedupeKey, dedupe.floorMs(), limits.dedupeMaxIds()),
                Map.copyOf(dropped), Map.copyOf(counted));
    }

    /**
     * Counts what the stages of a batch reported: records dropped (late ones under {@link #LATE}, which go to the late
     * total, the others to the dropped total) and records processors counted, by {@code <node>|<reason>}. At a commit that landed ({@code StreamTask}), or at once for a batch with nothing to
     * commit ({@link #prepare}).
     */
    static void countStages(Map<String, Integer> dropped, Map<String, Integer> counted, RuntimeCounters counters,
                            io.quantumtrader.streams.metrics.StreamsMetrics metrics) {
        dropped.forEach((nodeAndReason, n) -> {
            int bar = nodeAndReason.indexOf('|');
            String reason = nodeAndReason.substring(bar + 1);
            metrics.dropped(nodeAndReason.substring(0, bar), reason, n);
            // late records have their own total (late.records.dropped), left out of the stages' dropped total
            (LATE.equals(reason) ? counters.droppedLate : counters.dropped).add(n);
        });
        counted.forEach((nodeAndReason, n) -> {
            int bar = nodeAndReason.indexOf('|');
            metrics.counted(nodeAndReason.substring(0, bar), nodeAndReason.substring(bar + 1), n);
        });
    }

    Map<String, GlobalStoreReplica> globalReplicas() {
        return globalStores;
    }

    @Override
    public long streamTime(String node) {
        Long t = dirtyStreamTimes.get(node);
        if (t == null) {
            t = streamTimes.get(node);
        }
        return t == null ? Long.MIN_VALUE : t;
    }

    @Override
    public void advanceStreamTime(String node, long timestamp) {
        if (timestamp > streamTime(node)) {
            dirtyStreamTimes.put(node, timestamp);
        }
    }

    @Override
    public void recordRetry(String node) {
        counters.processorRetries.increment();
    }

    /**
     * The reason a late record is counted under in {@code qt.streams.records.dropped{node, reason}}, per node (Kafka
     * Streams counts them in its {@code dropped-records} too); {@code qt.streams.late.records.dropped} is their total,
     * and the run's dropped total ({@link RuntimeCounters#dropped()}) leaves them out. Until 2026-12-07 only the total
     * existed: with two windowed aggregations nobody could tell which one dropped them (found in review).
     */
    public static final String LATE = "late";

    /**
     * Counted when the batch's commit lands, as its other counts: a batch processed again is not counted twice; per
     * node under {@link #LATE}.
     */
    @Override
    public void recordLate(String node) {
        dropped.merge(node + "|" + LATE, 1, Integer::sum);
    }

    /** Counted when the batch's commit lands ({@code qt.streams.records.dropped{node, reason}}). */
    @Override
    public void recordDropped(String node, String reason) {
        dropped.merge(node + "|" + reason, 1, Integer::sum);
    }

    /** Counted when the batch's commit lands ({@code qt.streams.node.records.counted{node, reason}}). */
    @Override
    public void recordCounted(String node, String reason) {
        String key = node + "|" + reason;
        counted.merge(key, 1, Integer::sum);
        countedByRecord.add(key);
    }

    @Override
    public void declareCounted(String node, String reason) {
        metrics.counted(node, reason, 0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> KeyValueStore<K, V> globalStore(String name) {
        GlobalStoreReplica replica = globalStores.get(name);
        if (replica == null) {
            throw new TopologyException("task " + taskId + " has no global store '" + name + "'");
        }
        return (KeyValueStore<K, V>) (KeyValueStore<?, ?>) replica;
    }

    @Override
    public long wallClockTime() {
        return System.currentTimeMillis();
    }

    @Override
    public long streamTimeOf(Record<?, ?> record) {
        return limits.streamTimeOf(record, wallClockTime());
    }

    /** Appends a record to a stream with a deterministic event id (same input, node and index → same id). */
    @Override
    public void emit(String sinkNode, String stream, String subject, String partitionKey, Record<?, ?> record) {
        limits.checkOutputSubject(stream, subject);   // a key its readers would refuse is dead-lettered here
        StreamSpec spec = catalog.spec(stream);
        int p = partitionKey != null ? Partitioner.partition(partitionKey, spec.partitions())
                : (record.origin() != null ? record.origin().partition() % spec.partitions() : 0);
        String eventId = ids.next(record, sinkNode, subject);
        String source = sources.computeIfAbsent(sinkNode, n -> applicationId + "/" + n);
        // the value is written as every output's, not as the canonical JSON its id may come from: that one differs
        // from Jackson's own for sets (sorted; a NON_EMPTY empty set; contentUsing: review 2026-12-06)
        Map<String, String> fields = EnvelopeCodec.encode(stream, source, eventId, subject, record.value(),
                record.timestamp(), record.traceId());
        limits.checkOutput(stream, fields);   // an entry the consumer would refuse is not written (dead-lettered)
        batch.add(streamKey(stream, p, spec.partitions()), spec.maxLen(), fields);
        outputs++;
        metrics.endToEnd(System.currentTimeMillis() - record.timestamp());
    }

    /**
     * @return the Redis key of a stream partition, made once per task: built per record it was a new string each time,
     *         hashed again by the batch (~3 % of a task's CPU in the stateless benchmark, JFR of 2026-12-03 23:46)
     */
    private String streamKey(String stream, int partition, int partitions) {
        String[] byPartition = streamKeys.computeIfAbsent(stream, s -> new String[partitions]);
        if (partition >= byPartition.length) {
            return keys.stream(stream, partition);
        }
        String key = byPartition[partition];
        if (key == null) {
            key = keys.stream(stream, partition);
            byPartition[partition] = key;
        }
        return key;
    }

    @Override
    public void nodeProcessed(String node, int in, int out, long nanos) {
        metrics.node(node, in, out, nanos);
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> KeyValueStore<K, V> store(String name) {
        CachedKeyValueStore<?, ?> store = stores.get(name);
        if (store == null) {
            throw new TopologyException("task " + taskId + " has no state store '" + name + "'");
        }
        return (KeyValueStore<K, V>) store;
    }

    /**
     * Dead-letters {@code record}: one dead letter per input entry and failed record, even when several branches fail
     * on the same record, but one for each different record that failed on one input entry (the final results of
     * several windows that one record closed, a flatMap's outputs): each is written and counted, none is dropped.
     */
    @Override
    public void deadLetter(Record<?, ?> record, String node, Throwable error, int attempts) {
        Record.Origin origin = record.origin();
        int failure = origin == null ? 0 : deadLettered.add(originId(record), record);
        if (failure < 0) {
            return; // the same record failed again in another branch
        }
        if (error instanceof RejectedEntryException rejected && origin != null) {
            rejections.merge(origin.stream() + "|" + rejected.reason().tag(), 1, Integer::sum);
        }
        String dlq = DeadLetterFields.streamFor(record, applicationId, node);
        int p = origin != null ? origin.partition() : partition;
        batch.add(keys.stream(dlq, p), catalog.spec(dlq).maxLen(), DeadLetterFields.of(record, node, error, attempts, taskId, limits));
        deadLetters++;
        if (origin == null) {
            return;
        }
        StreamSpec errors = catalog.spec(EVENT_ERROR_STREAM);
        EventError event = new EventError(origin.stream(), origin.partition(), origin.entryId(), node,
                error.getClass().getName(), DeadLetterFields.clip(String.valueOf(error.getMessage())), attempts, dlq);
        String id = failure == 0 ? EnvelopeCodec.deterministicId(applicationId, originId(record), "event_error")
                : EnvelopeCodec.deterministicId(applicationId, originId(record), "event_error", Integer.toString(failure));
        batch.add(keys.stream(EVENT_ERROR_STREAM, Partitioner.partition(origin.stream(), errors.partitions())),
                errors.maxLen(), EnvelopeCodec.encode(EVENT_ERROR_STREAM, applicationId + "/" + node, id,
                        origin.stream(), event, System.currentTimeMillis(), DeadLetterFields.clip(record.traceId())));
    }

    @Override
    public List<Duration> retryBackoff() {
        return retryBackoff;
    }

    @Override
    public void beginRecord() {
        countedByRecord.clear();
        for (CachedKeyValueStore<?, ?> s : stores.values()) {
            s.beginRecord();
        }
    }

    @Override
    public void abortRecord() {
        countedByRecord.forEach(key -> counted.merge(key, -1, Integer::sum));
        countedByRecord.clear();
        for (CachedKeyValueStore<?, ?> s : stores.values()) {
            s.abortRecord();
        }
    }

    private String originId(Record<?, ?> record) {
        return ids.originId(record);
    }
}
