package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.internals.TopologyNode;

import io.quantumtrader.streams.state.StoreSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable processing graph made by {@link TopologyBuilder#build()}, split into {@link Subtopology sub-topologies}.
 */
public final class Topology {

    private final String applicationId;
    private final List<TopologyNode> nodes;
    private final Map<String, StoreSpec<?, ?>> stores;
    private final Map<String, GlobalStoreSpec> globalStores;
    private final List<Subtopology> subtopologies;

    Topology(String applicationId, List<TopologyNode> nodes, Map<String, StoreSpec<?, ?>> stores,
             Map<String, GlobalStoreSpec> globalStores) {
        this.applicationId = applicationId;
        this.nodes = nodes;
        this.stores = stores;
        this.globalStores = globalStores;
        this.subtopologies = split(nodes);
        for (Subtopology s : subtopologies) {
            Map<String, String> readBy = new HashMap<>();
            for (TopologyNode n : s.nodes()) {
                if (n.kind() != TopologyNode.Kind.SOURCE) {
                    continue;
                }
                for (String stream : n.streams()) {
                    String other = readBy.putIfAbsent(stream, n.name());
                    if (other != null) {
                        throw new TopologyException("stream '" + stream + "' is already read by source '" + other
                                + "' in the same sub-topology; reuse that EventStream instead of calling stream() twice");
                    }
                }
            }
        }
    }

    /** @return the global tables' stores by name */
    public Map<String, GlobalStoreSpec> globalStores() {
        return globalStores;
    }

    /** @return the sub-topologies that run as tasks (all but the global-store ones) */
    public List<Subtopology> taskSubtopologies() {
        return subtopologies.stream().filter(s -> !s.global()).toList();
    }

    /**
     * Checks the topology against the partition counts of its streams: the streams one sub-topology reads (a stream
     * and the table it joins, or merged streams) must have the same partition count (co-partitioning, as Kafka
     * Streams requires); and in a sub-topology that runs more than one task, no aggregation after
     * {@code groupByKey} and no join with a co-partitioned table may follow a {@code map}, {@code flatMap},
     * {@code process} or {@code transform} (the last two since 2026-12-07; {@code processValues} keeps keys) (a new key
     * is not in its partition: Kafka Streams would repartition; here the records of a key were aggregated in two
     * tasks, or missed their table row, without a trace; found in review, 2026-12-05); nor may a stream–table join
     * read one side through a {@link EventStream#repartition} (partitioned by value) and the other by key (found in
     * review, 2026-12-06).
     *
     * @param partitionsOf the partition count of a stream (e.g. {@code s -> catalog.spec(s).partitions()})
     * @throws TopologyException naming the sub-topology and the two streams that differ, or the node whose key changed
     *                           and the node that needs it in its partition, or the join and its two sides' streams
     */
    public void validate(java.util.function.ToIntFunction<String> partitionsOf) {
        for (Subtopology s : taskSubtopologies()) {
            String first = null;
            int partitions = -1;
            for (String stream : s.sourceStreams()) {
                int p = partitionsOf.applyAsInt(stream);
                if (first == null) {
                    first = stream;
                    partitions = p;
                } else if (p != partitions) {
                    throw new TopologyException("sub-topology " + s.id() + " reads '" + first + "' (" + partitions
                            + " partitions) and '" + stream + "' (" + p + " partitions); streams read together (joins, "
                            + "merges) must be co-partitioned: give them the same partition count in the stream catalog");
                }
            }
            if (partitions > 1) {
                for (TopologyNode n : s.nodes()) {
                    TopologyNode changed = n.keyPartitioned() ? keyChangedBefore(n) : null;
                    if (changed != null) {
                        throw new TopologyException("sub-topology " + s.id() + " runs " + partitions + " tasks, and '"
                                + changed.name() + "' gives records new keys before '" + n.name() + "', which needs "
                                + "every record of a key in its key's partition: group with groupBy(selector, Type.class) "
                                + "or move the records to their new key's partition with repartition(Type.class, Named.as(...)) first (or keep "
                                + "the key: mapValues, processValues)");
                    }
                    if (n.joinedTable() != null) {
                        checkJoinPartitioning(s, partitions, n);
                    }
                }
            }
        }
    }

    /**
     * Refuses a stream–table join whose two sides are partitioned differently: one side read from a stream a
     * {@link EventStream#repartition} writes (partitioned by value), the other from a stream partitioned by key. A
     * record then sits in the partition of its value while its table row sits in the partition of its key, and an
     * inner join misses the row without a trace (found in review, 2026-12-06: 1 of 1 tick missed its position with 4
     * partitions). Two sides both read through repartitions are accepted: their partitioners are functions and cannot
     * be compared, and a table built from the repartitioned records themselves ({@code groupByKey().aggregate}) sits
     * with them.
     */
    private void checkJoinPartitioning(Subtopology s, int partitions, TopologyNode join) {
        Set<String> byValue = valuePartitionedStreams();
        List<TopologyNode> streamSide = sourcesOf(join.parents());
        List<TopologyNode> tableSide = sourcesOf(List.of(join.joinedTable()));
        TopologyNode streamByValue = firstSource(streamSide, byValue, true);
        TopologyNode tableByKey = firstSource(tableSide, byValue, false);
        TopologyNode tableByValue = firstSource(tableSide, byValue, true);
        TopologyNode streamByKey = firstSource(streamSide, byValue, false);
        String table = String.join(",", join.stores());
        if (streamByValue != null && tableByKey != null) {
            throw new TopologyException("sub-topology " + s.id() + " runs " + partitions + " tasks, and join '"
                    + join.name() + "' reads its stream from " + described(streamByValue, byValue) + " but its table '"
                    + table + "' from " + described(tableByKey, byValue) + ": a record would miss its table row in "
                    + "another task; join before the repartition, or build the table from the repartitioned records");
        }
        if (tableByValue != null && streamByKey != null) {
            throw new TopologyException("sub-topology " + s.id() + " runs " + partitions + " tasks, and join '"
                    + join.name() + "' reads its table '" + table + "' from " + described(tableByValue, byValue)
                    + " but its stream from " + described(streamByKey, byValue) + ": a record would miss its table row "
                    + "in another task; move the stream through the same repartition, or build the table by key");
        }
    }

    /** @return e.g. "'s' (partitioned by value by repartition 'r')" or "'s' (partitioned by key)" */
    private String described(TopologyNode source, Set<String> byValue) {
        for (String stream : source.streams()) {
            if (byValue.contains(stream)) {
                String sink = nodes.stream().filter(n -> n.kind() == TopologyNode.Kind.SINK && n.partitionKey() != null
                        && n.streams().contains(stream)).map(TopologyNode::name).findFirst().orElse(stream);
                return "'" + stream + "' (partitioned by value by repartition '"
                        + sink.replaceFirst("-repartition-sink$", "") + "')";
            }
        }
        return "'" + String.join(",", source.streams()) + "' (partitioned by key)";
    }

    /** @return the first of {@code sources} that reads a value-partitioned stream ({@code byValue}), or one that does not */
    private static TopologyNode firstSource(List<TopologyNode> sources, Set<String> byValue, boolean valuePartitioned) {
        for (TopologyNode source : sources) {
            if (source.streams().stream().anyMatch(byValue::contains) == valuePartitioned) {
                return source;
            }
        }
        return null;
    }

    /** @return the source nodes at or before {@code start}, nearest first */
    private static List<TopologyNode> sourcesOf(java.util.Collection<TopologyNode> start) {
        java.util.Deque<TopologyNode> todo = new java.util.ArrayDeque<>(start);
        Set<TopologyNode> seen = new java.util.HashSet<>();
        List<TopologyNode> out = new ArrayList<>();
        while (!todo.isEmpty()) {
            TopologyNode p = todo.poll();
            if (!seen.add(p)) {
                continue;
            }
            if (p.kind() == TopologyNode.Kind.SOURCE) {
                out.add(p);
            }
            todo.addAll(p.parents());
        }
        return out;
    }

    /** @return the nearest node before {@code node} in its sub-topology that gives records new keys, or null */
    private static TopologyNode keyChangedBefore(TopologyNode node) {
        java.util.Deque<TopologyNode> todo = new java.util.ArrayDeque<>(node.parents());
        Set<TopologyNode> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            TopologyNode p = todo.poll();
            if (!seen.add(p)) {
                continue;
            }
            if (p.keyChanging()) {
                return p;
            }
            todo.addAll(p.parents());
        }
        return null;
    }

    public String applicationId() {
        return applicationId;
    }

    /**
     * @return the streams a sink of this topology writes with a partition key other than the record key
     *         ({@link EventStream#repartition}): their entries' subjects do not name their partition
     */
    public Set<String> valuePartitionedStreams() {
        Set<String> out = new java.util.TreeSet<>();
        for (TopologyNode n : nodes) {
            if (n.kind() == TopologyNode.Kind.SINK && n.partitionKey() != null) {
                out.addAll(n.streams());
            }
        }
        return out;
    }

    /**
     * @return the streams a sink of this topology writes with {@code Windowed} keys as far as the DSL knows (a
     *         windowed aggregation's table, then only nodes that keep keys: {@code TopologyNode#markWindowedKeys}).
     *         Such a sink writes each window of a key to the key's partition (Kafka Streams'
     *         {@code WindowedStreamPartitioner}), so a source of one of these streams accepts a subject
     *         {@code [key@start/end]} in {@code key}'s partition as well as where its text hashes; every other stream
     *         accepts a subject only where its text hashes. A windowed key that reaches a sink through
     *         {@code process}, {@code transform} or {@code map} is partitioned by its text (as Kafka Streams' default
     *         partitioner, the key serde being unknown there), so producer and consumer agree
     */
    public Set<String> windowedKeyStreams() {
        Set<String> out = new java.util.TreeSet<>();
        for (TopologyNode n : nodes) {
            if (n.kind() == TopologyNode.Kind.SINK && n.windowedKeys()) {
                out.addAll(n.streams());
            }
        }
        return out;
    }

    /**
     * The producer tasks this topology has for {@code stream}: every task of every other sub-topology with a sink
     * writing it, as they name themselves in watermark hashes ({@code <application-id>:<sub-topology>_<partition>}).
     * An aligned consumer waits for each of them (DESIGN §2 "Event time across inputs"): one that has published
     * nothing yet may still write records older than the others' watermarks.
     *
     * @param partitionsOf  partition count of a stream (the stream catalog): a sub-topology has as many tasks as its
     *                      source streams have partitions
     * @param ownSubtopology the reading task's sub-topology, left out (its own outputs read back are a cycle)
     */
    public List<String> producerTasks(String stream, java.util.function.ToIntFunction<String> partitionsOf, int ownSubtopology) {
        List<String> out = new java.util.ArrayList<>();
        for (Subtopology s : taskSubtopologies()) {
            if (s.id() == ownSubtopology || !s.sinkStreams().contains(stream) || s.sourceStreams().isEmpty()) {
                continue;
            }
            int tasks = partitionsOf.applyAsInt(s.sourceStreams().iterator().next());
            for (int p = 0; p < tasks; p++) {
                out.add(applicationId + ":" + s.id() + "_" + p);
            }
        }
        return out;
    }

    /**
     * Whether a task of {@code ownSubtopology} reads {@code stream} as a merged input (re-ordered by event time,
     * released by the stream's watermark): its records are not in event-time order in the stream, because several
     * producer tasks interleave their commits or a producer holds records back ({@link #producerHoldsRecords}). One
     * rule for the runtime's tasks and the test driver.
     *
     * @param producerTasks the producer tasks the topology has for the stream ({@link #producerTasks})
     */
    public boolean mergedInput(String stream, List<String> producerTasks, int ownSubtopology) {
        return producerTasks.size() > 1 || producerHoldsRecords(stream, ownSubtopology);
    }

    /**
     * @return whether a sub-topology other than {@code ownSubtopology} that writes {@code stream} may hold records back
     *         ({@link Subtopology#holdsRecords()}): its records in that stream are not in event-time order, so a
     *         reader orders them by event time and releases them by the stream's watermark
     */
    public boolean producerHoldsRecords(String stream, int ownSubtopology) {
        for (Subtopology s : taskSubtopologies()) {
            if (s.id() != ownSubtopology && s.sinkStreams().contains(stream) && s.holdsRecords()) {
                return true;
            }
        }
        return false;
    }

    /** @return every node in topological order */
    public List<TopologyNode> nodes() {
        return nodes;
    }

    /** @return the sub-topologies, by id */
    public List<Subtopology> subtopologies() {
        return subtopologies;
    }

    /** @return the store spec of that name, or {@code null} */
    public StoreSpec<?, ?> store(String name) {
        return stores.get(name);
    }

    /** @return a description in the shape of Kafka Streams' {@code TopologyDescription}; its toString is Kafka's text format */
    public TopologyDescription describe() {
        return TopologyDescription.of(this);
    }

    /** Union-find over parent/child edges and shared stores, as Kafka Streams' node groups. */
    private static List<Subtopology> split(List<TopologyNode> nodes) {
        int[] parent = new int[nodes.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<String, Integer> storeOwner = new HashMap<>();
        for (TopologyNode n : nodes) {
            for (TopologyNode p : n.parents()) {
                union(parent, n.index(), p.index());
            }
            for (String store : n.stores()) {
                Integer other = storeOwner.putIfAbsent(store, n.index());
                if (other != null) {
                    union(parent, n.index(), other);
                }
            }
        }
        Map<Integer, List<TopologyNode>> groups = new TreeMap<>();
        for (TopologyNode n : nodes) {
            groups.computeIfAbsent(find(parent, n.index()), k -> new ArrayList<>()).add(n);
        }
        List<List<TopologyNode>> ordered = new ArrayList<>(groups.values());
        ordered.sort((a, b) -> Integer.compare(a.get(0).index(), b.get(0).index()));
        List<Subtopology> result = new ArrayList<>();
        for (List<TopologyNode> group : ordered) {
            result.add(new Subtopology(result.size(), List.copyOf(group), group.get(0).global()));
        }
        return List.copyOf(result);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
