package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.internals.TopologyNode;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead-letter streams a topology's tasks may write, each with the partitions they write it in: a source's
 * {@code <stream>.dlq} (an input entry that failed or was refused, in its input's partitions) and a processor's or a
 * sink's {@code <application-id>.<node>.dlq} (a record without an origin, a punctuator's, or a failed punctuation: in its
 * task's partition, {@link DeadLetterFields#streamFor}). Found in review (2026-12-07): the latter were neither trimmed
 * nor in the replay report.
 */
public final class DeadLetterStreams {

    private static final Record<Object, Object> NO_ORIGIN = new Record<>(null, null, 0L, null, null);

    private DeadLetterStreams() {
    }

    /** @return dead-letter stream name to the number of partitions written, in topology order */
    public static Map<String, Integer> of(Topology topology, StreamCatalog catalog) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Subtopology s : topology.subtopologies()) {
            for (String stream : s.sourceStreams()) {
                String dlq = StreamKeys.deadLetter(stream);
                out.merge(dlq, Math.max(catalog.spec(dlq).partitions(), catalog.spec(stream).partitions()), Math::max);
            }
            if (!s.global() && !s.sourceStreams().isEmpty()) {
                int tasks = catalog.spec(s.sourceStreams().iterator().next()).partitions();
                for (TopologyNode n : s.nodes()) {
                    if (n.kind() != TopologyNode.Kind.SOURCE) {   // a sink dead-letters a record without an origin too
                        out.merge(DeadLetterFields.streamFor(NO_ORIGIN, topology.applicationId(), n.name()), tasks, Math::max);
                    }
                }
            }
        }
        return out;
    }
}
