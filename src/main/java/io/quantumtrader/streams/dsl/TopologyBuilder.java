package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.dsl.internals.Stage;
import io.quantumtrader.streams.dsl.internals.TableSourceStage;
import io.quantumtrader.streams.dsl.internals.TopologyNode;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Serde;
import io.quantumtrader.streams.state.StoreSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds a {@link Topology} with the DSL, as Kafka Streams' {@code StreamsBuilder}:
 * <pre>{@code
 * TopologyBuilder b = new TopologyBuilder("quantum-trader");
 * b.stream("risk.evaluation.complete", RiskEvaluation.class)
 *  .filter((symbol, e) -> e.approved(), Named.as("approved-evaluations"))
 *  .mapValues(sizer::toTradeRequest, Named.as("position-sizer"))
 *  .to("trades.request.new");
 * Topology t = b.build();
 * }</pre>
 * Not thread-safe; build a topology from one thread.
 */
public final class TopologyBuilder {

    private final String applicationId;
    private final List<TopologyNode> nodes = new ArrayList<>();
    private final Map<String, TopologyNode> byName = new LinkedHashMap<>();
    private final Map<String, StoreSpec<?, ?>> stores = new LinkedHashMap<>();
    private final Map<String, GlobalStoreSpec> globalStores = new LinkedHashMap<>();
    private int generated;

    /**
     * @param applicationId names consumer groups ({@code <application-id>.<sub-topology>}) and state keys
     * @throws IllegalArgumentException when blank or containing ':' '{' '}' or whitespace
     */
    public TopologyBuilder(String applicationId) {
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("application id '" + applicationId
                    + "' may only contain letters, digits, '.', '_' and '-'");
        }
        this.applicationId = applicationId;
    }

    /** Reads {@code stream} with JSON values of {@code valueType}; keys are the envelope subjects. */
    public <V> EventStream<String, V> stream(String stream, Class<V> valueType) {
        return stream(List.of(stream), new JsonSerde<>(valueType), null);
    }

    /** Reads {@code stream} with JSON values of {@code valueType}, in a source node named {@code named}. */
    public <V> EventStream<String, V> stream(String stream, Class<V> valueType, Named named) {
        return stream(List.of(stream), new JsonSerde<>(valueType), named);
    }

    /**
     * Reads one or more streams with one value serde (they must have the same partition count). Two sub-topologies
     * may read the same stream, each through its own consumer group (a stream read twice in one sub-topology is refused
     * by {@link #build()}: reuse the EventStream).
     */
    public <V> EventStream<String, V> stream(List<String> streams, Serde<V> valueSerde, Named named) {
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (streams.isEmpty()) {
            throw new TopologyException("a source needs at least one stream");
        }
        for (String s : streams) {
            requireStreamName(s);
        }
        TopologyNode source = add(TopologyNode.source(nodes.size(), nameFor(named, "SOURCE"), streams, valueSerde), List.of());
        return new EventStream<>(this, source);
    }

    /**
     * Materializes a stream as a table: latest value per key, {@code null} value deletes (Kafka Streams {@code table()}).
     *
     * @throws TopologyException when the stream is already read, the store name is taken, or {@code materialized} sets a
     *                           retention (windowed stores only)
     */
    public <V> KeyedTable<String, V> table(String stream, Class<V> valueType, Materialized<V> materialized) {
        materialized.refuseRetention("table");
        String store = materialized.storeName;
        addStateStore(StoreSpec.keyValueStore(store, valueType));
        EventStream<String, V> source = stream(List.of(stream), new JsonSerde<>(valueType), Named.as(store + "-source"));
        source.node.markTableSource();
        String name = store + "-table";
        TopologyNode n = addProcessor(name, () -> new TableSourceStage(name, store), Set.of(store), List.of(source.node));
        return new KeyedTable<>(this, n, store, null);
    }

    /**
     * A table replicated to every task from every partition of {@code stream} (Kafka Streams {@code globalTable()}).
     *
     * @throws TopologyException when the stream is already read, the store name is taken, or {@code materialized} sets
     *                           a retention (windowed stores only)
     */
    public <V> GlobalTable<String, V> globalTable(String stream, Class<V> valueType, Materialized<V> materialized) {
        return globalTable(stream, valueType, null, materialized);
    }

    /**
     * {@link #globalTable(String, Class, Materialized)} whose values name their subject: an entry whose value names
     * another subject than the entry's is skipped by every replica ({@code qt.streams.global.entries.skipped{reason=
     * "invalid_value"}} and a warning) and the key keeps its value, as a source with
     * {@link EventStream#requireSubject} refuses such an entry. Without it a forged entry under one key could carry a
     * value meant for another (found in review, 2026-12-08: a kill-switch reset under "paper" naming account "other").
     *
     * @param subjectOf where a value names its subject (e.g. a kill switch's account); null: not checked
     * @throws TopologyException as {@link #globalTable(String, Class, Materialized)}
     */
    @SuppressWarnings("unchecked")
    public <V> GlobalTable<String, V> globalTable(String stream, Class<V> valueType,
                                                  java.util.function.Function<? super V, String> subjectOf,
                                                  Materialized<V> materialized) {
        materialized.refuseRetention("globalTable");
        String store = materialized.storeName;
        if (globalStores.containsKey(store) || stores.containsKey(store)) {
            throw new TopologyException("state store '" + store + "' is already added");
        }
        globalStores.put(store, new GlobalStoreSpec(store, stream, new JsonSerde<>(valueType),
                subjectOf == null ? null : v -> subjectOf.apply((V) v)));
        EventStream<String, V> source = stream(List.of(stream), new JsonSerde<>(valueType), Named.as(store + "-source"));
        source.node.markGlobal().markTableSource();
        addProcessor(store + "-global-table", () -> (in, ctx) -> reactor.core.publisher.Flux.empty(), Set.of(store),
                List.of(source.node)).markGlobal();
        return new GlobalTable<>(store, stream);
    }

    /**
     * Adds a key-value state store that processors can use via {@code process(..., name)}.
     *
     * @throws TopologyException when a store of that name exists, a global table's included (as Kafka Streams)
     */
    public TopologyBuilder addStateStore(StoreSpec<?, ?> spec) {
        if (globalStores.containsKey(spec.name()) || stores.putIfAbsent(spec.name(), spec) != null) {
            throw new TopologyException("state store '" + spec.name() + "' is already added");
        }
        return this;
    }

    /**
     * @return the immutable topology, split into sub-topologies
     * @throws TopologyException when the topology has no source
     */
    public Topology build() {
        if (nodes.stream().noneMatch(n -> n.kind() == TopologyNode.Kind.SOURCE)) {
            throw new TopologyException("topology '" + applicationId + "' has no source: call stream(...) first");
        }
        return new Topology(applicationId, List.copyOf(nodes), Map.copyOf(stores), Map.copyOf(globalStores));
    }

    /** @return the application id */
    public String applicationId() {
        return applicationId;
    }

    String nameFor(Named named, String kind) {
        int n = generated++;
        return named != null ? named.name() : String.format("KSTREAM-%s-%010d", kind, n);
    }

    boolean hasGlobalStore(String store) {
        return globalStores.containsKey(store);
    }

    void requireStore(String store, String node) {
        if (!stores.containsKey(store)) {
            throw new TopologyException("processor '" + node + "' uses state store '" + store
                    + "', which was not added with addStateStore(...)");
        }
    }

    TopologyNode addProcessor(String name, Supplier<Stage> stage, Set<String> storeNames, List<TopologyNode> parents) {
        return add(TopologyNode.processor(nodes.size(), name, stage, storeNames), parents);
    }

    void addSink(String name, String stream, Function<Object, String> keySerializer, TopologyNode parent) {
        requireStreamName(stream);
        TopologyNode sink = TopologyNode.sink(nodes.size(), name, stream, keySerializer);
        sink.markWindowedKeys(parent.windowedKeys());
        add(sink, List.of(parent));
    }

    void addSink(String name, String stream, Function<Object, String> keySerializer,
                 java.util.function.BiFunction<Object, Object, String> partitionKey, TopologyNode parent) {
        requireStreamName(stream);
        add(TopologyNode.sink(nodes.size(), name, stream, keySerializer).partitionBy(partitionKey), List.of(parent));
    }

    private TopologyNode add(TopologyNode node, List<TopologyNode> parents) {
        if (byName.putIfAbsent(node.name(), node) != null) {
            throw new TopologyException("node name '" + node.name() + "' is used twice; names must be unique");
        }
        for (TopologyNode p : parents) {
            if (p.kind() == TopologyNode.Kind.SINK) {
                throw new TopologyException("sink '" + p.name() + "' cannot have children");
            }
            p.connect(node);
        }
        nodes.add(node);
        return node;
    }

    private static void requireStreamName(String stream) {
        if (stream == null || !stream.matches("[A-Za-z0-9._-]+")) {
            throw new TopologyException("stream name '" + stream + "' may only contain letters, digits, '.', '_' and '-'");
        }
    }
}
