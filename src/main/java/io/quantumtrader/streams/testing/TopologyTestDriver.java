package io.quantumtrader.streams.testing;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.runtime.DeadLetterFields;
import io.quantumtrader.streams.runtime.GlobalStoreReplica;
import io.quantumtrader.streams.runtime.OutputIds;
import io.quantumtrader.streams.runtime.IngestGuard;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.SubtopologyExecutor;
import io.quantumtrader.streams.runtime.TaskOutput;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Topology} in memory, synchronously, with no Redis, as Kafka Streams' {@code TopologyTestDriver}:
 * pipe records in with event times, read what the sinks wrote, advance the wall clock, inspect stores. It runs the same
 * {@link SubtopologyExecutor} and operator stages as the Redis runtime, one record at a time, every stream with one
 * partition; records a sink writes to a stream the topology reads (repartition streams, chained stages) are processed
 * before {@code pipeInput} returns. Not thread-safe.
 */
public final class TopologyTestDriver implements AutoCloseable {

    private final Topology topology;
    private final Map<String, List<StreamEntry>> streams = new HashMap<>();
    private final List<Task> tasks = new ArrayList<>();
    private final Map<String, GlobalStoreReplica> globals = new LinkedHashMap<>();
    private final Deque<StreamEntry> queue = new ArrayDeque<>();
    private long wallClock;
    private long sequence;
    private long droppedLate;
    private final IngestLimits limits;

    /**
     * A driver whose wall clock starts at the epoch. Input entries pass the runtime's source checks
     * ({@link IngestLimits#defaults()}) except the event-time skew check, since event times in tests are unrelated to
     * the mocked wall clock.
     */
    public TopologyTestDriver(Topology topology) {
        this(topology, Instant.EPOCH);
    }

    /** @param initialWallClockTime the mocked wall clock's start (no event-time skew check, see above) */
    public TopologyTestDriver(Topology topology, Instant initialWallClockTime) {
        this(topology, initialWallClockTime, IngestLimits.defaults().withoutEventTimeSkewCheck());
    }

    /**
     * @param initialWallClockTime the mocked wall clock's start
     * @param limits the source checks, as the runtime applies them; the event-time skew is measured against the mocked
     *               wall clock
     */
    public TopologyTestDriver(Topology topology, Instant initialWallClockTime, IngestLimits limits) {
        this.limits = limits;
        this.topology = topology;
        this.wallClock = initialWallClockTime.toEpochMilli();
        topology.globalStores().values().forEach(spec -> globals.put(spec.name(), GlobalStoreReplica.inMemory(spec)));
        for (Subtopology s : topology.taskSubtopologies()) {
            tasks.add(new Task(s));
        }
    }

    /** @return an input for {@code stream}; values are encoded as JSON envelopes, as a publisher would */
    public <V> TestInputStream<V> createInputStream(String stream) {
        return new TestInputStream<>(this, stream);
    }

    /** @return a reader of what the topology wrote to {@code stream}, from the beginning */
    public <V> TestOutputStream<V> createOutputStream(String stream, Class<V> valueType) {
        return new TestOutputStream<>(entries(stream), valueType);
    }

    /** Advances the mocked wall clock and runs the wall-clock punctuations that became due. */
    public void advanceWallClockTime(Duration advance) {
        wallClock += advance.toMillis();
        for (Task t : tasks) {
            t.begin("punctuation-" + wallClock);
            t.executor.punctuate(wallClock, t).block();
            t.commit();
        }
        drain();
    }

    /**
     * @return a store's committed content (the same view a task has between batches)
     * @throws TopologyException when the topology has no store of that name
     */
    @SuppressWarnings("unchecked")
    public <K, V> KeyValueStore<K, V> getKeyValueStore(String name) {
        for (Task t : tasks) {
            CachedKeyValueStore<?, ?> s = t.stores.get(name);
            if (s != null) {
                return (KeyValueStore<K, V>) s;
            }
        }
        GlobalStoreReplica g = globals.get(name);
        if (g != null) {
            return (KeyValueStore<K, V>) (KeyValueStore<?, ?>) g;
        }
        throw new TopologyException("topology has no store '" + name + "'");
    }

    /** @return the raw fields of every entry dead-lettered from {@code stream} ({@code <stream>.dlq}) */
    public List<Map<String, String>> deadLetters(String stream) {
        return entries(stream + ".dlq").stream().map(StreamEntry::fields).toList();
    }

    /** @return records dropped because their window had closed */
    public long droppedLateRecords() {
        return droppedLate;
    }

    @Override
    public void close() {
        tasks.forEach(t -> t.executor.close());
    }

    void pipe(String stream, String key, Object value, long timestamp) {
        String id = "driver-" + (++sequence);
        append(stream, EnvelopeCodec.encode(stream, "test-driver", id, key, value, timestamp, id));
        drain();
    }

    private List<StreamEntry> entries(String stream) {
        return streams.computeIfAbsent(stream, s -> new ArrayList<>());
    }

    private void append(String stream, Map<String, String> fields) {
        StreamEntry entry = new StreamEntry(stream, stream, 0, (++sequence) + "-0", fields);
        entries(stream).add(entry);
        for (GlobalStoreReplica g : globals.values()) {
            if (topology.globalStores().get(g.name()).stream().equals(stream)) {
                g.apply(fields);
            }
        }
        queue.add(entry);
    }

    private void drain() {
        while (!queue.isEmpty()) {
            StreamEntry entry = queue.poll();
            for (Task t : tasks) {
                if (t.subtopology.sourceStreams().contains(entry.stream())) {
                    t.begin(entry.id());
                    t.executor.process(List.of(entry), t).block();
                    t.commit();
                }
            }
        }
    }

    /** One task (partition 0 of a sub-topology) and its in-memory stores. */
    private final class Task implements TaskOutput {
        final Subtopology subtopology;
        final SubtopologyExecutor executor;
        final Map<String, CachedKeyValueStore<?, ?>> stores = new LinkedHashMap<>();
        final Map<String, Long> streamTimes = new HashMap<>();
        final OutputIds ids = new OutputIds(topology.applicationId());
        final Set<String> deadLettered = new HashSet<>();
        final List<Map.Entry<String, Map<String, String>>> pending = new ArrayList<>();

        Task(Subtopology subtopology) {
            this.subtopology = subtopology;
            this.executor = new SubtopologyExecutor(subtopology, 0, new IngestGuard(limits, stream -> 1));
            for (String name : subtopology.stores()) {
                StoreSpec<?, ?> spec = topology.store(name);
                stores.put(name, new CachedKeyValueStore<>(spec, "memory:" + name));
            }
        }

        void begin(String id) {
            ids.begin("batch/" + subtopology.id() + "_0/" + id);
            deadLettered.clear();
            pending.clear();
        }

        void commit() {
            stores.values().forEach(CachedKeyValueStore::committed);
            List<Map.Entry<String, Map<String, String>>> out = List.copyOf(pending);
            pending.clear();
            out.forEach(e -> append(e.getKey(), e.getValue()));
        }

        @Override
        public void emit(String sinkNode, String stream, String subject, Record<?, ?> record) {
            String eventId = ids.next(record, sinkNode);
            pending.add(Map.entry(stream, EnvelopeCodec.encode(stream, topology.applicationId() + "/" + sinkNode, eventId,
                    subject, record.value(), record.timestamp(), record.traceId())));
        }

        @Override
        public String taskId() {
            return subtopology.id() + "_0";
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> KeyValueStore<K, V> store(String name) {
            CachedKeyValueStore<?, ?> s = stores.get(name);
            if (s == null) {
                throw new TopologyException("task " + taskId() + " has no state store '" + name + "'");
            }
            return (KeyValueStore<K, V>) s;
        }

        @Override
        public void deadLetter(Record<?, ?> record, String node, Throwable error, int attempts) {
            if (record.origin() != null && !deadLettered.add(record.origin().entryId())) {
                return;
            }
            pending.add(Map.entry(DeadLetterFields.streamFor(record, topology.applicationId(), node),
                    DeadLetterFields.of(record, node, error, attempts, taskId())));
        }

        @Override
        public List<Duration> retryBackoff() {
            return List.of(); // no retries in the driver: a failing function dead-letters at once
        }

        @Override
        public void beginRecord() {
            stores.values().forEach(CachedKeyValueStore::beginRecord);
        }

        @Override
        public void abortRecord() {
            stores.values().forEach(CachedKeyValueStore::abortRecord);
        }

        @Override
        public long streamTime(String node) {
            return streamTimes.getOrDefault(node, Long.MIN_VALUE);
        }

        @Override
        public void advanceStreamTime(String node, long timestamp) {
            streamTimes.merge(node, timestamp, Math::max);
        }

        @Override
        public void recordLate(String node) {
            droppedLate++;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> KeyValueStore<K, V> globalStore(String name) {
            GlobalStoreReplica g = globals.get(name);
            if (g == null) {
                throw new TopologyException("topology has no global store '" + name + "'");
            }
            return (KeyValueStore<K, V>) (KeyValueStore<?, ?>) g;
        }

        @Override
        public long wallClockTime() {
            return wallClock;
        }
    }
}
