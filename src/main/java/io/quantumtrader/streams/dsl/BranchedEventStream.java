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
 */
public final class BranchedEventStream<K, V> {

    private final TopologyBuilder builder;
    private final TopologyNode splitter;
    private final List<BiPredicate<? super K, ? super V>> predicates = new ArrayList<>();
    private final Map<String, EventStream<K, V>> branches = new LinkedHashMap<>();

    BranchedEventStream(TopologyBuilder builder, TopologyNode splitter) {
        this.builder = builder;
        this.splitter = splitter;
    }

    /** Adds a branch with a generated name. */
    public BranchedEventStream<K, V> branch(BiPredicate<? super K, ? super V> predicate) {
        return branch(predicate, Branched.as(null));
    }

    /** Adds a branch for the records that match {@code predicate} and no earlier branch. */
    public BranchedEventStream<K, V> branch(BiPredicate<? super K, ? super V> predicate, Branched<K, V> branched) {
        Objects.requireNonNull(predicate, "predicate");
        int index = predicates.size();
        List<BiPredicate<? super K, ? super V>> earlier = List.copyOf(predicates);
        predicates.add(predicate);
        addBranch(branched, String.valueOf(index + 1), r -> {
            for (BiPredicate<? super K, ? super V> p : earlier) {
                if (p.test(k(r), v(r))) {
                    return false;
                }
            }
            return predicate.test(k(r), v(r));
        });
        return this;
    }

    /** Ends the split with a default branch for the records no predicate matched. @return branches by name */
    public Map<String, EventStream<K, V>> defaultBranch() {
        return defaultBranch(Branched.as(null));
    }

    /** Ends the split with a named/wired default branch. @return branches by name */
    public Map<String, EventStream<K, V>> defaultBranch(Branched<K, V> branched) {
        List<BiPredicate<? super K, ? super V>> all = List.copyOf(predicates);
        addBranch(branched, "0", r -> {
            for (BiPredicate<? super K, ? super V> p : all) {
                if (p.test(k(r), v(r))) {
                    return false;
                }
            }
            return true;
        });
        return Map.copyOf(branches);
    }

    /** Ends the split; records no predicate matched are dropped. @return branches by name */
    public Map<String, EventStream<K, V>> noDefaultBranch() {
        return Map.copyOf(branches);
    }

    private void addBranch(Branched<K, V> branched, String defaultSuffix,
                           java.util.function.Predicate<Record<Object, Object>> route) {
        String name = splitter.name() + (branched.name != null ? branched.name : defaultSuffix);
        TopologyNode node = builder.addProcessor(name,
                () -> new RecordStage(name, r -> route.test(r) ? List.of(r) : List.of()), Set.of(), List.of(splitter));
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
