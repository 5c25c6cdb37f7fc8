package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.dsl.internals.Stage;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.internals.TopologyNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one batch of input entries through one instance of a sub-topology: decode each entry at its source node
 * (undecodable → dead letter), then apply every processor node's {@link Stage} to the records reaching it, in
 * topological order, and hand what reaches a sink to {@link TaskOutput#emit}. Node by node over the whole batch,
 * unless two processors share a state store: then record by record ({@link #depthFirst()}), so the result never
 * depends on where batch boundaries fall. Shared by the Redis runtime's
 * {@link StreamTask} and the in-memory {@code TopologyTestDriver}, so both run the same operator code.
 */
public final class SubtopologyExecutor {

    private final Subtopology subtopology;
    private final int partition;
    private final Map<String, TopologyNode> sourceByStream = new HashMap<>();
    private final Map<TopologyNode, Stage> stages = new HashMap<>();
    private final boolean depthFirst;
    private final IngestGuard guard;

    /** Creates the stage instances of one task, with default {@link IngestLimits} and one partition per stream. */
    public SubtopologyExecutor(Subtopology subtopology, int partition) {
        this(subtopology, partition, new IngestGuard(IngestLimits.defaults(), stream -> 1));
    }

    /**
     * Creates the stage instances (one per processor node) of one task.
     *
     * @param guard checks each input entry at its source (hostile input is dead-lettered, never becomes a record)
     */
    public SubtopologyExecutor(Subtopology subtopology, int partition, IngestGuard guard) {
        this.guard = guard;
        this.subtopology = subtopology;
        this.partition = partition;
        for (TopologyNode n : subtopology.nodes()) {
            if (n.kind() == TopologyNode.Kind.SOURCE) {
                n.streams().forEach(s -> sourceByStream.put(s, n));
            } else if (n.kind() == TopologyNode.Kind.PROCESSOR) {
                stages.put(n, n.newStage());
            }
        }
        this.depthFirst = sharesAStore(subtopology);
    }

    /**
     * @return true when records go through the sub-topology one at a time (Kafka Streams' depth-first order) rather
     *         than node by node over the whole batch: the case when two processors share a state store, so that one
     *         sees the other's writes in record order whatever the batch boundaries are
     */
    public boolean depthFirst() {
        return depthFirst;
    }

    private static boolean sharesAStore(Subtopology s) {
        Map<String, Integer> users = new HashMap<>();
        s.nodes().forEach(n -> n.stores().forEach(store -> users.merge(store, 1, Integer::sum)));
        return users.values().stream().anyMatch(n -> n > 1);
    }

    /** @return the sub-topology this executor runs */
    public Subtopology subtopology() {
        return subtopology;
    }

    /**
     * @param entries input entries in processing order (their position becomes {@link Record.Origin#sequence()})
     * @return completes when every record of the batch went through the sub-topology
     */
    public Mono<Void> process(List<StreamEntry> entries, TaskOutput output) {
        return Mono.defer(() -> {
            Map<TopologyNode, List<Record<Object, Object>>> outputs = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                StreamEntry e = entries.get(i);
                TopologyNode source = sourceByStream.get(e.stream());
                Record.Origin origin = new Record.Origin(e.stream(), partition, e.id(), e.fields(), i);
                IngestGuard.Accepted accepted;
                try {
                    accepted = guard.check(e.stream(), partition, e.fields(), source.valueSerde(),
                            source.acceptsTombstones(), output.wallClockTime());
                } catch (RejectedEntryException ex) {
                    output.deadLetter(new Record<>(null, null, 0L, e.fields().get("traceid"), origin), source.name(), ex, 1);
                    continue;
                }
                Envelope env = accepted.envelope();
                if (output.duplicate(env.id())) {
                    continue;
                }
                output.accepted(origin, env.id());
                outputs.computeIfAbsent(source, k -> new ArrayList<>())
                        .add(new Record<>(env.subject(), accepted.value(), env.time().toEpochMilli(), env.traceId(), origin));
            }
            if (!depthFirst) {
                return run(outputs, Long.MIN_VALUE, output);
            }
            List<Map.Entry<TopologyNode, Record<Object, Object>>> inOrder = new ArrayList<>();
            outputs.forEach((source, records) -> records.forEach(r -> inOrder.add(Map.entry(source, r))));
            inOrder.sort(Comparator.comparingInt(e -> e.getValue().origin().sequence()));
            return Flux.fromIterable(inOrder)
                    .concatMap(e -> {
                        Map<TopologyNode, List<Record<Object, Object>>> one = new HashMap<>();
                        one.put(e.getKey(), List.of(e.getValue()));
                        return run(one, Long.MIN_VALUE, output);
                    })
                    .then();
        });
    }

    /**
     * Wall-clock punctuation: every processor node may forward records (see {@link Stage#punctuate}); they flow
     * through the rest of the sub-topology like records of a batch.
     *
     * @param now wall-clock time, epoch ms
     */
    public Mono<Void> punctuate(long now, TaskOutput output) {
        return Mono.defer(() -> run(new HashMap<>(), now, output));
    }

    private Mono<Void> run(Map<TopologyNode, List<Record<Object, Object>>> outputs, long punctuateAt, TaskOutput output) {
        return Flux.fromIterable(subtopology.nodes())
                .filter(n -> n.kind() != TopologyNode.Kind.SOURCE)
                .concatMap(n -> {
                    List<Record<Object, Object>> input = inputOf(n, outputs);
                    if (n.kind() == TopologyNode.Kind.SINK) {
                        sink(n, input, output);
                        return Mono.empty();
                    }
                    Stage stage = stages.get(n);
                    long started = System.nanoTime();
                    Flux<Record<Object, Object>> punctuated = punctuateAt == Long.MIN_VALUE ? Flux.empty() : stage.punctuate(punctuateAt, output);
                    Flux<Record<Object, Object>> processed = input.isEmpty() ? Flux.empty() : stage.apply(Flux.fromIterable(input), output);
                    return Flux.concat(punctuated, processed)
                            .collectList()
                            .doOnNext(out -> {
                                outputs.put(n, out);
                                output.nodeProcessed(n.name(), input.size(), out.size(), System.nanoTime() - started);
                            });
                })
                .then();
    }

    /** Closes every stage (processors' {@code close()}). */
    public void close() {
        stages.values().forEach(Stage::close);
    }

    private static List<Record<Object, Object>> inputOf(TopologyNode node, Map<TopologyNode, List<Record<Object, Object>>> outputs) {
        if (node.parents().size() == 1) {
            return outputs.getOrDefault(node.parents().get(0), List.of());
        }
        List<Record<Object, Object>> merged = new ArrayList<>();
        for (TopologyNode p : node.parents()) {
            merged.addAll(outputs.getOrDefault(p, List.of()));
        }
        // a merge restores input order (stable: records of one input keep their relative order)
        merged.sort(Comparator.comparingInt(r -> r.origin() == null ? Integer.MAX_VALUE : r.origin().sequence()));
        return merged;
    }

    private static void sink(TopologyNode sink, List<Record<Object, Object>> records, TaskOutput output) {
        String stream = sink.streams().get(0);
        for (Record<Object, Object> r : records) {
            try {
                output.emit(sink.name(), stream, sink.keySerializer().apply(r.key()), r);
            } catch (RuntimeException e) {
                output.deadLetter(r, sink.name(), e, 1);
            }
        }
    }
}
