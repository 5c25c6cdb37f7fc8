package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.TopologyNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a topology looks like, in the shape of Kafka Streams' {@code TopologyDescription}; {@link #toString()} prints
 * Kafka's exact text format ({@code Sub-topology: 0}, {@code Source: name (topics: [..])}, {@code --> succ},
 * {@code <-- pred}, {@code Processor: name (stores: [..])}, {@code Sink: name (topic: t)}).
 *
 * @param subtopologies one entry per sub-topology, by id
 */
public record TopologyDescription(List<SubtopologyDescription> subtopologies) {

    /** One node: kind, name, the streams it reads/writes, its stores, successors and predecessors by name. */
    public record Node(TopologyNode.Kind kind, String name, List<String> streams, List<String> stores,
                       List<String> successors, List<String> predecessors) {
        @Override
        public String toString() {
            return switch (kind) {
                case SOURCE -> "Source: " + name + " (topics: " + streams + ")\n      --> " + names(successors);
                case PROCESSOR -> "Processor: " + name + " (stores: " + stores + ")\n      --> " + names(successors)
                        + "\n      <-- " + names(predecessors);
                case SINK -> "Sink: " + name + " (topic: " + streams.get(0) + ")\n      <-- " + names(predecessors);
            };
        }

        private static String names(List<String> names) {
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }

    /** One sub-topology and its nodes in topological order. */
    public record SubtopologyDescription(int id, List<Node> nodes, boolean global) {
        @Override
        public String toString() {
            return "Sub-topology: " + id + (global ? " for global store (will not generate tasks)" : "") + "\n" + nodes.stream().map(n -> "    " + n + "\n").collect(Collectors.joining()) + "\n";
        }
    }

    static TopologyDescription of(Topology topology) {
        return new TopologyDescription(topology.subtopologies().stream()
                .map(s -> new SubtopologyDescription(s.id(), s.nodes().stream().map(TopologyDescription::node).toList(), s.global()))
                .toList());
    }

    private static Node node(TopologyNode n) {
        return new Node(n.kind(), n.name(), n.streams(), n.stores().stream().sorted().toList(),
                n.children().stream().map(TopologyNode::name).toList(),
                n.parents().stream().map(TopologyNode::name).toList());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Topologies:\n ");
        for (SubtopologyDescription s : subtopologies) {
            sb.append("  ").append(s);
        }
        return sb.toString();
    }
}
