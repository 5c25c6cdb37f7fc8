package io.quantumtrader.streams.dsl.internals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A connected part of the topology (nodes linked by edges or by a shared store), as in Kafka Streams. It runs as one
 * task per partition of its source streams, under consumer group {@code <application-id>.<id>}.
 *
 * @param id     0-based, in order of the sub-topology's first node
 * @param nodes  its nodes in topological order
 * @param global true for a global table's source and store (no tasks; every task keeps a replica)
 */
public record Subtopology(int id, List<TopologyNode> nodes, boolean global) {

    /** @return the streams its source nodes read */
    public Set<String> sourceStreams() {
        Set<String> s = new LinkedHashSet<>();
        nodes.stream().filter(n -> n.kind() == TopologyNode.Kind.SOURCE).forEach(n -> s.addAll(n.streams()));
        return s;
    }

    /** @return the streams its sink nodes write */
    public Set<String> sinkStreams() {
        Set<String> s = new LinkedHashSet<>();
        nodes.stream().filter(n -> n.kind() == TopologyNode.Kind.SINK).forEach(n -> s.addAll(n.streams()));
        return s;
    }

    /**
     * @return whether one of its processors may hold records back and forward them later at their own timestamps
     *         ({@link TopologyNode#holdsRecords()}): its outputs are not in event-time order in their streams
     */
    public boolean holdsRecords() {
        return nodes.stream().anyMatch(TopologyNode::holdsRecords);
    }

    /** @return the state stores its processors use */
    public Set<String> stores() {
        Set<String> s = new LinkedHashSet<>();
        nodes.forEach(n -> s.addAll(n.stores()));
        return s;
    }
}
