package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyDescription;
import io.quantumtrader.streams.dsl.internals.TopologyNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the live topology page draws, from the same model as the exported diagrams: the topology's
 * {@link TopologyDescription} (sub-topologies, nodes, streams, stores, edges) and each stream's partition count.
 *
 * @param application the application id (consumer groups are {@code <application>.<sub-topology>})
 * @param description the topology as {@code Topology.describe()} returns it
 * @param partitions  partitions of every stream the topology reads or writes, from the stream catalog
 */
public record LiveTopologyGraph(String application, TopologyDescription description, Map<String, Integer> partitions) {

    /** @return the graph of {@code topology}, with partition counts from {@code catalog} */
    public static LiveTopologyGraph of(Topology topology, StreamCatalog catalog) {
        TopologyDescription d = topology.describe();
        Map<String, Integer> partitions = new TreeMap<>();
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n.kind() != TopologyNode.Kind.PROCESSOR) {
                    n.streams().forEach(stream -> partitions.put(stream, catalog.spec(stream).partitions()));
                }
            }
        }
        return new LiveTopologyGraph(topology.applicationId(), d, Map.copyOf(partitions));
    }
}
