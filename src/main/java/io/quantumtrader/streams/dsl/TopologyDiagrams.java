package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.TopologyNode;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Renders a {@link TopologyDescription} as a diagram: Mermaid ({@code flowchart LR}) or Graphviz DOT. Streams are
 * drawn as cylinders between the sub-topologies that write and read them, so repartition streams and the Redis
 * streams that connect stages are visible; processors list their state stores.
 */
public final class TopologyDiagrams {

    private TopologyDiagrams() {
    }

    /** @return Mermaid flowchart text (GitHub renders it in a {@code ```mermaid} block) */
    public static String mermaid(String name, TopologyDescription d) {
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        Set<String> streams = new LinkedHashSet<>();
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            sb.append("  subgraph sub").append(s.id()).append("[\"Sub-topology ").append(s.id())
                    .append(s.global() ? " (global store)" : "").append("\"]\n");
            for (TopologyDescription.Node n : s.nodes()) {
                sb.append("    ").append(id(n.name())).append(shape(n)).append('\n');
            }
            sb.append("  end\n");
        }
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n.kind() == TopologyNode.Kind.SOURCE) {
                    for (String stream : n.streams()) {
                        streams.add(stream);
                        sb.append("  ").append(streamId(stream)).append(" --> ").append(id(n.name())).append('\n');
                    }
                }
                for (String child : n.successors()) {
                    sb.append("  ").append(id(n.name())).append(" --> ").append(id(child)).append('\n');
                }
                if (n.kind() == TopologyNode.Kind.SINK) {
                    streams.add(n.streams().get(0));
                    sb.append("  ").append(id(n.name())).append(" --> ").append(streamId(n.streams().get(0))).append('\n');
                }
            }
        }
        for (String stream : streams) {
            sb.append("  ").append(streamId(stream)).append("[(\"").append(stream).append("\")]\n");
        }
        return sb.toString();
    }

    /** @return Graphviz DOT text; {@code dot -Tsvg} renders it */
    public static String dot(String name, TopologyDescription d) {
        StringBuilder sb = new StringBuilder("digraph \"").append(name).append("\" {\n")
                .append("  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        Set<String> streams = new LinkedHashSet<>();
        StringBuilder edges = new StringBuilder();
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            sb.append("  subgraph cluster_").append(s.id()).append(" {\n    label=\"Sub-topology ").append(s.id())
                    .append(s.global() ? " (global store)" : "").append("\";\n");
            for (TopologyDescription.Node n : s.nodes()) {
                String label = n.name() + (n.stores().isEmpty() ? "" : "\\nstores: " + String.join(", ", n.stores()));
                String shape = switch (n.kind()) {
                    case SOURCE -> "invhouse";
                    case PROCESSOR -> "box";
                    case SINK -> "house";
                };
                sb.append("    \"").append(n.name()).append("\" [shape=").append(shape).append(", label=\"").append(label).append("\"];\n");
                if (n.kind() == TopologyNode.Kind.SOURCE) {
                    for (String stream : n.streams()) {
                        streams.add(stream);
                        edges.append("  \"stream:").append(stream).append("\" -> \"").append(n.name()).append("\";\n");
                    }
                }
                for (String child : n.successors()) {
                    edges.append("  \"").append(n.name()).append("\" -> \"").append(child).append("\";\n");
                }
                if (n.kind() == TopologyNode.Kind.SINK) {
                    streams.add(n.streams().get(0));
                    edges.append("  \"").append(n.name()).append("\" -> \"stream:").append(n.streams().get(0)).append("\";\n");
                }
            }
            sb.append("  }\n");
        }
        for (String stream : streams) {
            sb.append("  \"stream:").append(stream).append("\" [shape=cylinder, label=\"").append(stream).append("\"];\n");
        }
        return sb.append(edges).append("}\n").toString();
    }

    private static String shape(TopologyDescription.Node n) {
        String stores = n.stores().isEmpty() ? "" : "<br/>stores: " + String.join(", ", n.stores());
        return switch (n.kind()) {
            case SOURCE -> "[/\"" + n.name() + "\"/]";
            case PROCESSOR -> "[\"" + n.name() + stores + "\"]";
            case SINK -> "[\\\"" + n.name() + "\"\\]";
        };
    }

    private static String id(String name) {
        return "n_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String streamId(String stream) {
        return "s_" + stream.replaceAll("[^A-Za-z0-9]", "_");
    }
}
