package io.quantumtrader.streams.dsl;

import java.util.function.Consumer;

/**
 * How one branch of {@link EventStream#split()} is named and wired, as Kafka Streams' {@code Branched}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Branched<K, V> {
    final String name;
    final Consumer<EventStream<K, V>> chain;

    private Branched(String name, Consumer<EventStream<K, V>> chain) {
        // the rule of Named.as: the branch name becomes part of a node name, a metric tag and a diagram label (found in
        // review, 2026-12-07: a quote was accepted here and broke the Mermaid label)
        this.name = name == null ? null : Named.as(name).name();
        this.chain = chain;
    }

    /**
     * @param name branch name, appended to the split's name to form the branch node's name and map key
     * @throws IllegalArgumentException when it holds other characters than letters, digits, '.', '_' and '-'
     */
    public static <K, V> Branched<K, V> as(String name) {
        return new Branched<>(name, null);
    }

    /** @param chain wires the branch's stream (e.g. {@code s -> s.to("x")}); the branch is then not in the result map */
    public static <K, V> Branched<K, V> withConsumer(Consumer<EventStream<K, V>> chain) {
        return new Branched<>(null, chain);
    }

    /** @return a branch wired by {@code chain} and named {@code name} */
    public static <K, V> Branched<K, V> withConsumer(Consumer<EventStream<K, V>> chain, String name) {
        return new Branched<>(name, chain);
    }
}
