package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.dsl.internals.TopologyNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link TopologyDescription} as a diagram: Mermaid ({@code flowchart TB}) or Graphviz DOT, top to bottom so
 * it stays readable at a README's width. Nodes are grouped by sub-topology. Every stream is drawn once: a stream the
 * topology reads is a node of its own (between the sub-topologies that write and read it); a stream it only writes
 * is named in the box of the sink that writes it ({@code sink → stream}). Processors list their state stores.
 * <p>
 * A topology has wide layers (a processor with six branches, each ending in a sink): left to the renderer, the
 * diagram grows wider than a page and shrinks to unreadable. So the layers are computed here, no wider than
 * {@link #LAYER_BUDGET} characters of labels (the vertices nearest to a leaf move down first), and every edge says how
 * many layers it spans (Mermaid's longer links {@code --->}, DOT's {@code minlen}); the renderers keep to it.
 */
public final class TopologyDiagrams {

    /** Smaller font and spacing than Mermaid's defaults: the diagram has some sixty boxes. */
    private static final String MERMAID_INIT =
            "%%{init: {\"flowchart\": {\"nodeSpacing\": 14, \"rankSpacing\": 24}, \"themeVariables\": {\"fontSize\": \"12px\"}}}%%\n";
    private static final String STREAM_STYLE = "fill:#fff1e5,stroke:#bc4c00,color:#1f2328";
    private static final String SOURCE_STYLE = "fill:#ddf4ff,stroke:#0969da,color:#1f2328";
    private static final String SINK_STYLE = "fill:#fbefff,stroke:#8250df,color:#1f2328";

    /** Widest a layer may be, in characters of its labels (plus {@link #PADDING} per vertex): a README's width. */
    static final int LAYER_BUDGET = 80;
    private static final int PADDING = 6;

    private TopologyDiagrams() {
    }

    /** @return Mermaid flowchart text (GitHub renders it in a {@code ```mermaid} block) */
    public static String mermaid(String name, TopologyDescription d) {
        Streams streams = Streams.of(d);
        Layout layout = Layout.of(d, streams);
        StringBuilder sb = new StringBuilder(MERMAID_INIT).append("flowchart TB\n");
        for (String stream : streams.read) {
            sb.append("  ").append(streamId(stream)).append("[(\"").append(stream).append("\")]\n");
        }
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            sb.append("  subgraph sub").append(s.id()).append("[\"Sub-topology ").append(s.id())
                    .append(s.global() ? " (global store)" : "").append("\"]\n");
            for (TopologyDescription.Node n : s.nodes()) {
                sb.append("    ").append(id(n.name())).append(mermaidShape(n, streams)).append('\n');
            }
            sb.append("  end\n");
        }
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n.kind() == TopologyNode.Kind.SOURCE) {
                    for (String stream : n.streams()) {
                        sb.append("  ").append(streamId(stream)).append(arrow(layout.span(STREAM + stream, NODE + n.name())))
                                .append(id(n.name())).append('\n');
                    }
                }
                for (String child : n.successors()) {
                    sb.append("  ").append(id(n.name())).append(arrow(layout.span(NODE + n.name(), NODE + child))).append(id(child)).append('\n');
                }
                if (n.kind() == TopologyNode.Kind.SINK && streams.read.contains(n.streams().get(0))) {
                    sb.append("  ").append(id(n.name())).append(arrow(layout.span(NODE + n.name(), STREAM + n.streams().get(0))))
                            .append(streamId(n.streams().get(0))).append('\n');
                }
            }
        }
        sb.append("  classDef stream ").append(STREAM_STYLE).append('\n')
                .append("  classDef source ").append(SOURCE_STYLE).append('\n')
                .append("  classDef sink ").append(SINK_STYLE).append('\n');
        appendClass(sb, "stream", streams.read.stream().map(TopologyDiagrams::streamId).toList());
        appendClass(sb, "source", ids(d, TopologyNode.Kind.SOURCE));
        appendClass(sb, "sink", ids(d, TopologyNode.Kind.SINK));
        return sb.toString();
    }

    /** @return Graphviz DOT text; {@code dot -Tsvg} renders it */
    public static String dot(String name, TopologyDescription d) {
        Streams streams = Streams.of(d);
        Layout layout = Layout.of(d, streams);
        StringBuilder sb = new StringBuilder("digraph \"").append(name).append("\" {\n")
                .append("  rankdir=TB;\n  newrank=true;\n  nodesep=0.1;\n  ranksep=0.3;\n")
                .append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
                        + "color=\"#57606a\", margin=\"0.08,0.03\", height=0.3];\n")
                .append("  edge [color=\"#8c959f\", arrowsize=0.6];\n");
        for (String stream : streams.read) {
            sb.append("  \"stream:").append(stream).append("\" [shape=cylinder, style=filled, fillcolor=\"#fff1e5\", color=\"#bc4c00\", label=\"")
                    .append(stream).append("\"];\n");
        }
        StringBuilder edges = new StringBuilder();
        java.util.Set<String> readEarlier = new java.util.HashSet<>();
        java.util.List<String> previousLeaves = null;
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            // a stream an earlier sub-topology reads too (each reads it through its own consumer group): its edge to
            // this source does not rank the source; the sub-topology's other inputs do (invisible edges), so it stands
            // below the earlier one instead of beside it at the top
            java.util.Set<String> inputs = new java.util.LinkedHashSet<>();
            s.nodes().stream().filter(n -> n.kind() == TopologyNode.Kind.SOURCE).forEach(n -> inputs.addAll(n.streams()));
            java.util.List<String> ownInputs = inputs.stream().filter(x -> !readEarlier.contains(x)).toList();
            sb.append("  subgraph cluster_").append(s.id()).append(" {\n    label=\"Sub-topology ").append(s.id())
                    .append(s.global() ? " (global store)" : "").append("\";\n    fontname=\"Helvetica\";\n    fontsize=11;\n")
                    .append("    style=rounded;\n    color=\"#d0d7de\";\n");
            for (TopologyDescription.Node n : s.nodes()) {
                sb.append("    \"").append(n.name()).append("\" [").append(dotAttributes(n, streams)).append("];\n");
                if (n.kind() == TopologyNode.Kind.SOURCE) {
                    for (String stream : n.streams()) {
                        if (readEarlier.contains(stream) && !ownInputs.isEmpty()) {
                            edges.append("  \"stream:").append(stream).append("\" -> \"").append(n.name())
                                    .append("\" [constraint=false];\n");
                            for (String other : ownInputs) {
                                edges.append("  \"stream:").append(other).append("\" -> \"").append(n.name())
                                        .append("\" [style=invis];\n");
                            }
                            continue;
                        }
                        edges.append("  \"stream:").append(stream).append("\" -> \"").append(n.name()).append('"')
                                .append(minlen(layout.span(STREAM + stream, NODE + n.name()))).append(";\n");
                    }
                }
                for (String child : n.successors()) {
                    edges.append("  \"").append(n.name()).append("\" -> \"").append(child).append('"')
                            .append(minlen(layout.span(NODE + n.name(), NODE + child))).append(";\n");
                }
                if (n.kind() == TopologyNode.Kind.SINK && streams.read.contains(n.streams().get(0))) {
                    edges.append("  \"").append(n.name()).append("\" -> \"stream:").append(n.streams().get(0)).append('"')
                            .append(minlen(layout.span(NODE + n.name(), STREAM + n.streams().get(0))))
                            // weight 0: the stream (and what reads it) need not stand under the sink, so a sub-topology
                            // fed by another one's sink can sit at the left, below it, not beside it
                            .append(layout.span(NODE + n.name(), STREAM + n.streams().get(0)) > 1 ? " [weight=0]" : "")
                            .append(";\n");
                }
            }
            sb.append("  }\n");
            readEarlier.addAll(inputs);
            // the next sub-topology starts below this one's last nodes (invisible edges): sub-topologies stack top to
            // bottom in id order instead of standing side by side, which keeps the picture as narrow as its widest one
            if (previousLeaves != null && !s.global()) {
                for (String leaf : previousLeaves) {
                    s.nodes().stream().filter(n -> n.kind() == TopologyNode.Kind.SOURCE).forEach(n -> {
                        edges.append("  \"").append(leaf).append("\" -> \"").append(n.name()).append("\" [style=invis, weight=0];\n");
                        // and the streams it reads, drawn outside the clusters, below too (not beside the previous one)
                        n.streams().stream().filter(streams.read::contains).filter(x -> !readEarlier.contains(x) || ownInputs.contains(x))
                                .forEach(x -> edges.append("  \"").append(leaf).append("\" -> \"stream:").append(x)
                                        .append("\" [style=invis, weight=0];\n"));
                    });
                }
            }
            if (!s.global()) {
                previousLeaves = s.nodes().stream().filter(n -> n.successors().isEmpty()).map(TopologyDescription.Node::name).toList();
            }
        }
        return sb.append(edges).append("}\n").toString();
    }

    private static final String NODE = "n:";
    private static final String STREAM = "s:";

    /** Mermaid's link of {@code span} layers: {@code -->} spans one, {@code --->} two, and so on. */
    private static String arrow(int span) {
        return " " + "-".repeat(span + 1) + "> ";
    }

    private static String minlen(int span) {
        return span > 1 ? " [minlen=" + span + "]" : "";
    }

    /**
     * Layers of the diagram's vertices (nodes, and streams the topology reads): longest path from the inputs, then no
     * layer wider than {@link #LAYER_BUDGET}: a vertex with the shortest way to a leaf moves down a layer, its
     * successors with it; leaves (sinks) move last, so they stay under the node that feeds them, and a vertex moved
     * once gives way to one not moved yet.
     */
    private record Layout(Map<String, Integer> layer) {

        /** @return layers the edge {@code from → to} spans (at least 1) */
        int span(String from, String to) {
            return Math.max(1, layer.get(to) - layer.get(from));
        }

        static Layout of(TopologyDescription d, Streams streams) {
            Map<String, Integer> width = new LinkedHashMap<>();
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String stream : streams.read()) {
                width.put(STREAM + stream, stream.length() + PADDING);
            }
            for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
                for (TopologyDescription.Node n : s.nodes()) {
                    int label = Math.max(n.name().length(), String.join(", ", n.stores()).length());
                    if (n.kind() == TopologyNode.Kind.SINK && streams.writtenOnly().contains(n.streams().get(0))) {
                        label = Math.max(label, n.streams().get(0).length() + 2);
                    }
                    width.put(NODE + n.name(), label + PADDING);
                }
            }
            width.keySet().forEach(v -> out.put(v, new ArrayList<>()));
            for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
                for (TopologyDescription.Node n : s.nodes()) {
                    if (n.kind() == TopologyNode.Kind.SOURCE) {
                        n.streams().forEach(stream -> out.get(STREAM + stream).add(NODE + n.name()));
                    }
                    n.successors().forEach(c -> out.get(NODE + n.name()).add(NODE + c));
                    if (n.kind() == TopologyNode.Kind.SINK && streams.read().contains(n.streams().get(0))) {
                        out.get(NODE + n.name()).add(STREAM + n.streams().get(0));
                    }
                }
            }
            // forward edges only: drop the edges that close a cycle (depth first, in declaration order)
            Map<String, List<String>> forward = new LinkedHashMap<>();
            Map<String, Integer> state = new HashMap<>();
            out.keySet().forEach(v -> forward.put(v, new ArrayList<>()));
            for (String v : out.keySet()) {
                dfs(v, out, forward, state);
            }
            Map<String, Integer> indegree = new HashMap<>();
            out.keySet().forEach(v -> indegree.put(v, 0));
            forward.values().forEach(ts -> ts.forEach(t -> indegree.merge(t, 1, Integer::sum)));
            Map<String, Integer> layer = new LinkedHashMap<>();
            List<String> queue = new ArrayList<>(out.keySet().stream().filter(v -> indegree.get(v) == 0).toList());
            queue.forEach(v -> layer.put(v, 0));
            for (int i = 0; i < queue.size(); i++) {
                String v = queue.get(i);
                for (String t : forward.get(v)) {
                    layer.merge(t, layer.get(v) + 1, Math::max);
                    if (indegree.merge(t, -1, Integer::sum) == 0) {
                        queue.add(t);
                    }
                }
            }
            Map<String, Integer> height = new HashMap<>();
            for (int i = queue.size() - 1; i >= 0; i--) {
                String v = queue.get(i);
                height.put(v, forward.get(v).stream().mapToInt(t -> height.get(t) + 1).max().orElse(0));
            }
            Map<String, Integer> moved = new HashMap<>();
            List<String> order = new ArrayList<>(out.keySet());
            for (int l = 0; l <= layer.values().stream().mapToInt(Integer::intValue).max().orElse(0); l++) {
                final int at = l;
                List<String> row = new ArrayList<>(order.stream().filter(v -> layer.get(v) == at).toList());
                row.sort(Comparator.<String>comparingInt(v -> height.get(v) == 0 ? 1 : 0).thenComparingInt(height::get)
                        .thenComparingInt(v -> moved.getOrDefault(v, 0)).thenComparingInt(order::indexOf));
                int used = row.stream().mapToInt(width::get).sum();
                while (used > LAYER_BUDGET && row.size() > 1) {
                    String v = row.remove(0);
                    used -= width.get(v);
                    moved.merge(v, 1, Integer::sum);
                    pushDown(v, at + 1, forward, layer);
                }
            }
            // a sub-topology fed by another one's sink starts below all of that one (sub-topologies stack instead of
            // standing side by side, which would make the diagram wider than a page)
            Map<String, Integer> subOf = new HashMap<>();
            for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
                s.nodes().forEach(n -> subOf.put(NODE + n.name(), s.id()));
            }
            for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
                for (TopologyDescription.Node n : s.nodes()) {
                    if (n.kind() != TopologyNode.Kind.SINK || !streams.read().contains(n.streams().get(0))) {
                        continue;
                    }
                    String stream = STREAM + n.streams().get(0);
                    boolean feedsAnother = forward.get(stream).stream().anyMatch(t -> !subOf.get(t).equals(s.id()));
                    if (feedsAnother && forward.get(NODE + n.name()).contains(stream)) {
                        int bottom = subOf.entrySet().stream().filter(e -> e.getValue() == s.id())
                                .mapToInt(e -> layer.get(e.getKey())).max().orElse(0);
                        pushDown(stream, bottom + 1, forward, layer);
                    }
                }
            }
            return new Layout(layer);
        }

        private static void dfs(String v, Map<String, List<String>> out, Map<String, List<String>> forward, Map<String, Integer> state) {
            if (state.containsKey(v)) {
                return;
            }
            state.put(v, 1);
            for (String t : out.get(v)) {
                if (state.getOrDefault(t, 0) != 1) {
                    forward.get(v).add(t);
                    dfs(t, out, forward, state);
                }
            }
            state.put(v, 2);
        }

        private static void pushDown(String v, int to, Map<String, List<String>> forward, Map<String, Integer> layer) {
            if (layer.get(v) >= to) {
                return;
            }
            layer.put(v, to);
            forward.get(v).forEach(t -> pushDown(t, to + 1, forward, layer));
        }
    }

    /** The streams a topology reads (drawn as their own nodes) and those it only writes (named in their sinks). */
    private record Streams(Set<String> read, Set<String> writtenOnly) {
        static Streams of(TopologyDescription d) {
            Set<String> read = new LinkedHashSet<>();
            Set<String> written = new LinkedHashSet<>();
            for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
                for (TopologyDescription.Node n : s.nodes()) {
                    if (n.kind() == TopologyNode.Kind.SOURCE) {
                        read.addAll(n.streams());
                    } else if (n.kind() == TopologyNode.Kind.SINK) {
                        written.add(n.streams().get(0));
                    }
                }
            }
            written.removeAll(read);
            return new Streams(read, written);
        }
    }

    private static String mermaidShape(TopologyDescription.Node n, Streams streams) {
        String stores = n.stores().isEmpty() ? "" : "<br/><i>" + String.join(", ", n.stores()) + "</i>";
        return switch (n.kind()) {
            case SOURCE -> "[/\"" + n.name() + "\"/]";
            case PROCESSOR -> "[\"" + n.name() + stores + "\"]";
            case SINK -> streams.writtenOnly().contains(n.streams().get(0))
                    ? "(\"" + n.name() + "<br/>→ <b>" + n.streams().get(0) + "</b>\")"
                    : "(\"" + n.name() + "\")";
        };
    }

    private static String dotAttributes(TopologyDescription.Node n, Streams streams) {
        return switch (n.kind()) {
            case SOURCE -> "shape=invhouse, style=filled, fillcolor=\"#ddf4ff\", color=\"#0969da\", label=\"" + n.name() + "\"";
            case PROCESSOR -> "label=" + (n.stores().isEmpty() ? "\"" + n.name() + "\""
                    : "<" + n.name() + "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#57606a\">" + String.join(", ", n.stores()) + "</FONT>>");
            case SINK -> "style=\"rounded,filled\", fillcolor=\"#fbefff\", color=\"#8250df\", label="
                    + (streams.writtenOnly().contains(n.streams().get(0))
                    ? "<" + n.name() + "<BR/>→ <B>" + n.streams().get(0) + "</B>>" : "\"" + n.name() + "\"");
        };
    }

    private static List<String> ids(TopologyDescription d, TopologyNode.Kind kind) {
        List<String> ids = new ArrayList<>();
        d.subtopologies().forEach(s -> s.nodes().stream().filter(n -> n.kind() == kind).forEach(n -> ids.add(id(n.name()))));
        return ids;
    }

    private static void appendClass(StringBuilder sb, String cls, List<String> ids) {
        if (!ids.isEmpty()) {
            sb.append("  class ").append(String.join(",", ids)).append(' ').append(cls).append('\n');
        }
    }

    private static String id(String name) {
        return "n_" + escaped(name);
    }

    private static String streamId(String stream) {
        return "s_" + escaped(stream);
    }

    /**
     * @return {@code name} as a Mermaid id, one for one: letters and digits as they are, {@code _} as {@code __},
     *         {@code -} as {@code _h}, {@code .} as {@code _d}, any other character as {@code _x<hex>_}. Until 2026-12-07
     *         each became {@code _}, and {@code by-side} and {@code by_side} (or streams {@code orders.new} and
     *         {@code orders-new}) were drawn as one box (found in review)
     */
    static String escaped(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(c);
            } else if (c == '_') {
                sb.append("__");
            } else if (c == '-') {
                sb.append("_h");
            } else if (c == '.') {
                sb.append("_d");
            } else {
                sb.append("_x").append(Integer.toHexString(c)).append('_');
            }
        }
        return sb.toString();
    }
}
