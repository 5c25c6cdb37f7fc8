package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Serde;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One node of the topology graph: a source (reads streams), a processor (applies a {@link Stage}) or a sink
 * (writes a stream). Nodes are created in topological order: every parent exists before its children.
 */
public final class TopologyNode {

    /** Kafka Streams' three node kinds. */
    public enum Kind { SOURCE, PROCESSOR, SINK }

    private final int index;
    private final String name;
    private final Kind kind;
    private final List<String> streams;
    private final Serde<?> valueSerde;
    private final Supplier<Stage> stageFactory;
    private final Set<String> stores;
    private final Function<Object, String> keySerializer;
    private boolean global;
    private java.util.function.Function<Object, String> subjectOf;
    private java.util.function.ToLongFunction<Object> eventTimeOf;
    private boolean branch;
    private boolean keyChanging;
    private boolean keyPartitioned;
    private boolean windowedKeys;
    final List<TopologyNode> parents = new ArrayList<>();
    final List<TopologyNode> children = new ArrayList<>();

    private TopologyNode(int index, String name, Kind kind, List<String> streams, Serde<?> valueSerde,
                         Supplier<Stage> stageFactory, Set<String> stores, Function<Object, String> keySerializer) {
        this.index = index;
        this.name = name;
        this.kind = kind;
        this.streams = List.copyOf(streams);
        this.valueSerde = valueSerde;
        this.stageFactory = stageFactory;
        this.stores = Set.copyOf(stores);
        this.keySerializer = keySerializer;
    }

    /** Creates a node; for {@code TopologyBuilder} only. */
    public static TopologyNode source(int index, String name, List<String> streams, Serde<?> valueSerde) {
        return new TopologyNode(index, name, Kind.SOURCE, streams, valueSerde, null, Set.of(), null);
    }

    /** Creates a node; for {@code TopologyBuilder} only. */
    public static TopologyNode processor(int index, String name, Supplier<Stage> stageFactory, Set<String> stores) {
        return new TopologyNode(index, name, Kind.PROCESSOR, List.of(), null, stageFactory, stores, null);
    }

    /** Creates a node; for {@code TopologyBuilder} only. */
    public static TopologyNode sink(int index, String name, String stream, Function<Object, String> keySerializer) {
        return new TopologyNode(index, name, Kind.SINK, List.of(stream), null, null, Set.of(), keySerializer);
    }

    private java.util.function.BiFunction<Object, Object, String> partitionKey;

    /**
     * @return for a sink that partitions by something other than the record key (Kafka Streams'
     *         {@code StreamPartitioner}): (key, value) → the string whose hash picks the partition; null: the subject
     */
    public java.util.function.BiFunction<Object, Object, String> partitionKey() { return partitionKey; }

    /** Makes this sink partition by {@code partitionKey}; for {@code TopologyBuilder} only. */
    public TopologyNode partitionBy(java.util.function.BiFunction<Object, Object, String> partitionKey) {
        this.partitionKey = partitionKey;
        return this;
    }

    /** @return true for the nodes that maintain a global table (they run in no task) */
    public boolean global() { return global; }

    private boolean tombstones;

    /** @return true for the source of a table: a {@code null} value (tombstone) deletes its key, it is not refused */
    public boolean acceptsTombstones() { return tombstones; }

    /** Marks the source of a table (its records may be tombstones); for {@code TopologyBuilder} only. */
    public TopologyNode markTableSource() {
        tombstones = true;
        return this;
    }

    private boolean holdsRecords;

    /**
     * @return true for a processor that may hold records back and forward them later at their own timestamps (its
     *         {@link io.quantumtrader.streams.processor.Processor#earliestHeldTimestamp()} is overridden): tasks that
     *         read its sub-topology's outputs order them by event time and watermark, as inputs with several producers
     */
    public boolean holdsRecords() { return holdsRecords; }

    /** Marks a processor that may hold records back; for the DSL only. */
    public TopologyNode markHoldsRecords() {
        holdsRecords = true;
        return this;
    }

    /** Marks a node that maintains a global table; for {@code TopologyBuilder} only. */
    public TopologyNode markGlobal() {
        global = true;
        return this;
    }

    /** @return creation order; also a topological order */
    public int index() { return index; }

    public String name() { return name; }

    public Kind kind() { return kind; }

    /** @return the streams a source reads, or the single stream a sink writes; empty for processors */
    public List<String> streams() { return streams; }

    /** @return the value serde of a source node */
    public Serde<?> valueSerde() { return valueSerde; }

    /** @return a new stage instance for one task (processor nodes only) */
    public Stage newStage() { return stageFactory.get(); }

    /** @return the state stores this node uses */
    public Set<String> stores() { return stores; }

    /** @return turns a record key into the envelope subject (sink nodes only) */
    public Function<Object, String> keySerializer() { return keySerializer; }

    public List<TopologyNode> parents() { return Collections.unmodifiableList(parents); }

    /**
     * For a source: where its values name their own subject; an entry whose subject differs is refused at the source
     * ({@code IngestGuard}).
     */
    public void requireSubject(java.util.function.Function<Object, String> subjectOf) { this.subjectOf = subjectOf; }

    /** @return where a source's values name their own subject, or null when they do not */
    public java.util.function.Function<Object, String> subjectOf() { return subjectOf; }

    /**
     * For a source: where its values carry their own event time, epoch ms; an entry whose event time differs is refused
     * at the source ({@code IngestGuard}).
     */
    public void requireEventTime(java.util.function.ToLongFunction<Object> eventTimeOf) { this.eventTimeOf = eventTimeOf; }

    /**
     * Marks this node as a branch of a {@code split()}: it receives every record of the split and passes on those routed
     * to it, so its records in are the records it passes on (Kafka Streams' branch child receives its own only). Until
     * 2026-12-07 each branch counted all of the split's records in ({@code qt.streams.node.records.in}; found in review).
     */
    public void markBranch() { this.branch = true; }

    /** @return whether this node is a branch of a {@code split()} ({@link #markBranch}) */
    public boolean branch() { return branch; }

    /** @return where a source's values carry their own event time, or null when they do not */
    public java.util.function.ToLongFunction<Object> eventTimeOf() { return eventTimeOf; }

    /**
     * Marks this node as one that gives records new keys ({@code map}, {@code flatMap}): a key may leave its partition,
     * and is no longer known to be {@link #windowedKeys() windowed}.
     */
    public void markKeyChanging() {
        keyChanging = true;
        windowedKeys = false;
    }

    /**
     * Marks the records coming out of this node as keyed by {@code Windowed} keys as far as the DSL knows (the key
     * type, which Kafka Streams knows from the key serde): a windowed aggregation, the nodes after it that keep keys
     * ({@code filter}, {@code mapValues}, {@code flatMapValues}, {@code peek}, {@code split} branches, a {@code merge}
     * of two such streams), and a sink they reach. Such a sink partitions by the window's key (Kafka Streams'
     * {@code WindowedStreamPartitioner}), and a source reading its stream accepts {@code [key@start/end]} in
     * {@code key}'s partition.
     */
    public void markWindowedKeys(boolean windowed) { windowedKeys = windowed; }

    /** @return whether this node's records are known to have {@code Windowed} keys ({@link #markWindowedKeys}) */
    public boolean windowedKeys() { return windowedKeys; }

    /** @return whether this node gives records new keys */
    public boolean keyChanging() { return keyChanging; }

    /**
     * Marks this node as one that needs every record of a key in its key's partition (an aggregation after
     * {@code groupByKey}, a join with a co-partitioned table): {@code Topology.validate} refuses a key changed before
     * it in the same sub-topology when that runs more than one task.
     */
    public void markKeyPartitioned() { keyPartitioned = true; }

    /** @return whether this node needs every record of a key in its key's partition */
    public boolean keyPartitioned() { return keyPartitioned; }

    private TopologyNode joinedTable;

    /**
     * Records, on a stream–table join, the node that feeds the joined table: {@code Topology.validate} checks that
     * the stream and the table are partitioned the same way (both by key, or both by a repartition); for
     * {@code EventStream} only.
     */
    public void joinsTable(TopologyNode table) { joinedTable = table; }

    /** @return for a stream–table join, the node that feeds the joined table; otherwise null */
    public TopologyNode joinedTable() { return joinedTable; }

    public List<TopologyNode> children() { return Collections.unmodifiableList(children); }

    /** Connects {@code child} below this node; for {@code TopologyBuilder} only. */
    public void connect(TopologyNode child) {
        children.add(child);
        child.parents.add(this);
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
