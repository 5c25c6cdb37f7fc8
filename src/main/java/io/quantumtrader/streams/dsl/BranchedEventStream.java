package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.RecordStage;
import io.quantumtrader.streams.dsl.internals.TopologyNode;

import io.quantumtrader.streams.record.Record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The branches of {@link EventStream#split()}, as Kafka Streams' {@code BranchedKStream}: a record goes to the first
 * branch whose predicate matches, else to the default branch, else nowhere. Branch nodes are named
 * {@code <split name><branch name>}; unnamed branches are numbered from 1, the default branch is {@code 0}.
 *
 * <p>The split node evaluates the predicates once per record, in order, up to the first that matches (as Kafka
 * Streams' {@code KStreamBranch}), and hands each branch node the record with its branch ({@link Routed}); a branch
 * node passes on only its own records. Each branch used to evaluate every earlier predicate again, so a predicate with
 * a side effect or a changing answer (a rate limiter, a sampler) could send a record to two branches or to none.
 */
public final class BranchedEventStream<K, V> {

    /**
     * A record on its way from the split node to its branch nodes: the record's value and the index of the first
     * predicate it matched ({@link #DEFAULT_BRANCH} when none did). Never leaves the split's nodes.
     */
    record Routed(int branch, Object value) {
    }

    /** {@link Routed#branch} of a record that matched no predicate. */
    static final int DEFAULT_BRANCH = -1;

    private final TopologyBuilder builder;
    private final TopologyNode splitter;
    /** Complete once the topology is built, when tasks create the split node's stage. */
    private final List<BiPredicate<? super K, ? super V>> predicates = new ArrayList<>();
    private final Map<String, EventStream<K, V>> branches = new LinkedHashMap<>();

    BranchedEventStream(TopologyBuilder builder, String name, TopologyNode parent) {
        this.builder = builder;
        this.splitter = builder.addProcessor(name, () -> new RecordStage(name, r -> List.of(r.withValue(route(r)))),
                Set.of(), List.of(parent));
        splitter.markWindowedKeys(parent.windowedKeys());
    }

    /** @return the record's value with the index of the first predicate it matches ({@link #DEFAULT_BRANCH}: none) */
    private Routed route(Record<Object, Object> r) {
        for (int i = 0; i < predicates.size(); i++) {
            if (predicates.get(i).test(k(r), v(r))) {
                return new Routed(i, r.value());
            }
        }
        return new Routed(DEFAULT_BRANCH, r.value());
    }

    /** Adds a branch with a generated name. */
    public BranchedEventStream<K, V> branch(BiPredicate<? super K, ? super V> predicate) {
        return branch(predicate, Branched.as(null));
    }

    /** Adds a branch for the records that match {@code predicate} and no earlier branch. */
    public BranchedEventStream<K, V> branch(BiPredicate<? super K, ? super V> predicate, Branched<K, V> branched) {
        Objects.requireNonNull(predicate, "predicate");
        int index = predicates.size();
        predicates.add(predicate);
        addBranch(branched, String.valueOf(index + 1), index);
        return this;
    }

    /** Ends the split with a default branch for the records no predicate matched. @return branches by name */
    public Map<String, EventStream<K, V>> defaultBranch() {
        return defaultBranch(Branched.as(null));
    }

    /** Ends the split with a named/wired default branch. @return branches by name */
    public Map<String, EventStream<K, V>> defaultBranch(Branched<K, V> branched) {
        addBranch(branched, "0", DEFAULT_BRANCH);
        return Map.copyOf(branches);
    }

    /** Ends the split; records no predicate matched are dropped. @return branches by name */
    public Map<String, EventStream<K, V>> noDefaultBranch() {
        return Map.copyOf(branches);
    }

    /** Adds the node of branch {@code index}: it passes on the records routed to it, with their own values. */
    private void addBranch(Branched<K, V> branched, String defaultSuffix, int index) {
        String name = splitter.name() + (branched.name != null ? branched.name : defaultSuffix);
        TopologyNode node = builder.addProcessor(name, () -> new RecordStage(name, r -> {
            Routed routed = (Routed) r.value();
            return routed.branch() == index ? List.of(r.withValue(routed.value())) : List.of();
        }), Set.of(), List.of(splitter));
        node.markWindowedKeys(splitter.windowedKeys());
        node.markBranch();
        EventStream<K, V> stream = new EventStream<>(builder, node);
        if (branched.chain != null) {
            branched.chain.accept(stream);
        } else {
            branches.put(name, stream);
        }
    }

    @SuppressWarnings("unchecked")
    private K k(Record<Object, Object> r) {
        return (K) r.key();
    }

    @SuppressWarnings("unchecked")
    private V v(Record<Object, Object> r) {
        return (V) r.value();
    }
}
