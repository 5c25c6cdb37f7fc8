package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.dsl.Windowed;
import io.quantumtrader.streams.dsl.internals.MergeStage;
import io.quantumtrader.streams.dsl.internals.RecordStage;
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
 * depends on where batch boundaries fall. Where records meet again (a merge, a node with two parents, two sinks
 * writing one stream) they are put in Kafka Streams' order, which running node by node loses: input order, and records
 * of one input record depth first ({@link ForwardOrder}). The nodes, their stages and their parents are compiled into a plan once per
 * task; a batch goes through it with plain loops on the calling thread, and Reactor is used only where a stage needs it
 * (a retry with backoff, a {@code transform}, a punctuation), not per record and node. Shared by the Redis runtime's
 * {@link StreamTask} and the in-memory {@code TopologyTestDriver}, so both run the same operator code.
 */
public final class SubtopologyExecutor {

    private final Subtopology subtopology;
    private final int partition;
    private final Map<String, TopologyNode> sourceByStream = new HashMap<>();
    /** The plan: processor and sink nodes in topological order, each with its stage and its parents' slots. */
    private final TopologyNode[] plan;
    private final Stage[] stages;
    private final int[][] parentSlots;
    private final int[] planSlots;
    /** Slot of every node (sources included) in a pass's output array. */
    private final Map<TopologyNode, Integer> slotOf = new HashMap<>();
    private final int slots;
    private final boolean depthFirst;
    private final IngestGuard guard;
    /**
     * Whether records of one input record can meet again (a node with two parents, two sinks writing one stream), so
     * each record's place in Kafka Streams' depth-first order is kept ({@link ForwardOrder}); false: no tracking.
     */
    private final boolean ordered;
    /** Per slot, how many child edges (plan nodes reading it, once per time they list it as a parent) it has. */
    private final int[] childEdges;
    /** Per plan node and parent, which child edge of that parent it is (Kafka: children in the order added). */
    private final int[][] edgeOf;
    /** Per plan node: is it a merge (its input passes through as it is). */
    private final boolean[] merges;
    /** Per plan node: the group of sinks writing one stream it belongs to, -1 for none. */
    private final int[] sinkGroupOf;
    /** Per plan node: is it the last sink of its group in the plan (the group's records are written then). */
    private final boolean[] lastOfSinkGroup;
    /** Positions of each slot's records in the current pass, and of each plan node's input ({@link #ordered} only). */
    private final ForwardOrder[] orderOfSlot;
    private final ForwardOrder[] orderOfInput;
    private final SinkGroup[] sinkGroups;

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
        List<TopologyNode> planned = new ArrayList<>();
        for (TopologyNode n : subtopology.nodes()) {
            slotOf.put(n, slotOf.size());
            if (n.kind() == TopologyNode.Kind.SOURCE) {
                n.streams().forEach(s -> sourceByStream.put(s, n));
            } else {
                planned.add(n);
            }
        }
        this.slots = slotOf.size();
        this.plan = planned.toArray(TopologyNode[]::new);
        this.stages = new Stage[plan.length];
        this.parentSlots = new int[plan.length][];
        this.planSlots = new int[plan.length];
        for (int i = 0; i < plan.length; i++) {
            planSlots[i] = slotOf.get(plan[i]);
            if (plan[i].kind() == TopologyNode.Kind.PROCESSOR) {
                stages[i] = plan[i].newStage();
            }
            parentSlots[i] = plan[i].parents().stream().filter(slotOf::containsKey).mapToInt(slotOf::get).toArray();
        }
        boolean heldAbove = giveUpstreamHolds();
        // a stage that reads what is held upstream must read it as of each record (record by record), not after the
        // whole batch passed the holder: else its result would depend on where batches end
        this.depthFirst = sharesAStore(subtopology) || sinksShareAStream(subtopology) || heldAbove;
        this.childEdges = new int[slots];
        this.edgeOf = new int[plan.length][];
        this.merges = new boolean[plan.length];
        boolean meets = sinksShareAStream(subtopology);
        for (int i = 0; i < plan.length; i++) {
            edgeOf[i] = new int[parentSlots[i].length];
            for (int p = 0; p < parentSlots[i].length; p++) {
                edgeOf[i][p] = childEdges[parentSlots[i][p]]++;
            }
            merges[i] = stages[i] instanceof MergeStage;
            meets |= parentSlots[i].length > 1;
        }
        this.ordered = meets;
        this.sinkGroupOf = new int[plan.length];
        this.lastOfSinkGroup = new boolean[plan.length];
        Map<String, Integer> groupOfStream = new HashMap<>();
        Map<String, Long> sinksOfStream = new HashMap<>();
        for (TopologyNode n : plan) {
            if (n.kind() == TopologyNode.Kind.SINK) {
                sinksOfStream.merge(n.streams().get(0), 1L, Long::sum);
            }
        }
        for (int i = 0; i < plan.length; i++) {
            sinkGroupOf[i] = -1;
            if (plan[i].kind() == TopologyNode.Kind.SINK && sinksOfStream.get(plan[i].streams().get(0)) > 1) {
                String stream = plan[i].streams().get(0);
                sinkGroupOf[i] = groupOfStream.computeIfAbsent(stream, k -> groupOfStream.size());
                lastOfSinkGroup[i] = true;
                for (int j = i + 1; j < plan.length; j++) {
                    if (plan[j].kind() == TopologyNode.Kind.SINK && plan[j].streams().get(0).equals(stream)) {
                        lastOfSinkGroup[i] = false;
                        break;
                    }
                }
            }
        }
        this.orderOfSlot = new ForwardOrder[ordered ? slots : 0];
        this.orderOfInput = new ForwardOrder[ordered ? plan.length : 0];
        for (int i = 0; i < orderOfSlot.length; i++) {
            orderOfSlot[i] = new ForwardOrder();
        }
        for (int i = 0; i < orderOfInput.length; i++) {
            orderOfInput[i] = new ForwardOrder();
        }
        this.sinkGroups = new SinkGroup[groupOfStream.size()];
        for (int g = 0; g < sinkGroups.length; g++) {
            sinkGroups[g] = new SinkGroup();
        }
    }

    /** The records of one pass for the sinks writing one stream, written together in processing order. */
    private static final class SinkGroup {
        final List<Record<Object, Object>> records = new ArrayList<>();
        final List<TopologyNode> sinks = new ArrayList<>();
        final ForwardOrder order = new ForwardOrder();

        void clear() {
            records.clear();
            sinks.clear();
            order.clear();
        }
    }

    /**
     * @return true when records go through the sub-topology one at a time (Kafka Streams' depth-first order) rather
     *         than node by node over the whole batch: the case when two processors share a state store, so that one
     *         sees the other's writes in record order whatever the batch boundaries are, and when two sinks write one
     *         stream, so that their records reach it in input order
     */
    public boolean depthFirst() {
        return depthFirst;
    }

    /**
     * Two sinks writing one stream: node by node, each sink would append the whole batch's records at once, so the
     * stream's order would depend on where batches split (found in review, 2026-12-05: {@code s.filter(buy).to("x");
     * s.filterNot(buy).mapValues(f).to("x")} wrote BUY before SELL for SELL, BUY in one batch).
     */
    private static boolean sinksShareAStream(Subtopology s) {
        return anyTwice(s.nodes().stream().filter(n -> n.kind() == TopologyNode.Kind.SINK).flatMap(n -> n.streams().stream()));
    }

    private static boolean sharesAStore(Subtopology s) {
        return anyTwice(s.nodes().stream().flatMap(n -> n.stores().stream()));
    }

    /** @return whether some name occurs twice or more */
    private static boolean anyTwice(java.util.stream.Stream<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return names.anyMatch(name -> !seen.add(name));
    }

    /** The largest event time of the records the last {@link #process} accepted; {@code Long.MIN_VALUE} for none. */
    private long acceptedMaxTimeMs = Long.MIN_VALUE;

    /**
     * @return the largest event time (epoch ms) among the entries of the last batch that became records (refused and
     *         duplicate entries left out), each capped by {@link TaskOutput#streamTimeOf} (at its arrival + the
     *         stream-time lead), {@code Long.MIN_VALUE} when none did: what the task's watermark may follow.
     *         Before (review of 2026-12-06) the watermark followed every entry read, so a refused entry stamped in 2099
     *         told aligned consumers downstream that nothing earlier would come
     */
    public long acceptedMaxEventTime() {
        return acceptedMaxTimeMs;
    }

    /** @return the sub-topology this executor runs */
    public Subtopology subtopology() {
        return subtopology;
    }

    /**
     * Initializes every stage of the task ({@link Stage#init}: the processors' {@code init}), once; later calls do
     * nothing. The task calls it before its first read, and {@link #process} and {@link #punctuate} call it first: a
     * processor that restores held records from its stores in {@code init} counts them in {@link #watermark} from the
     * first batch on, also when none of that batch's records reaches it. Before (review of 2026-12-06) a processor was
     * initialized by the first record reaching it or the first punctuation, and a restarted task whose first batch
     * came before its first punctuation published a watermark past the records its holder had restored
     * ({@code RestoredHoldTest}).
     *
     * @throws RuntimeException what a processor's {@code init} threw
     */
    public void init(TaskOutput output) {
        if (initialized) {
            return;
        }
        for (Stage stage : stages) {
            if (stage != null) {
                stage.init(output);
            }
        }
        initialized = true;
    }

    /** Every stage was initialized ({@link #init}). */
    private boolean initialized;

    /**
     * @param entries input entries in processing order (their position becomes {@link Record.Origin#sequence()})
     * @return completes when every record of the batch went through the sub-topology
     */
    public Mono<Void> process(List<StreamEntry> entries, TaskOutput output) {
        return Mono.defer(() -> {
            init(output);
            acceptedMaxTimeMs = Long.MIN_VALUE;
            Map<TopologyNode, List<Record<Object, Object>>> outputs = new HashMap<>();
            List<Record.Origin> origins = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                StreamEntry e = entries.get(i);
                TopologyNode source = sourceByStream.get(e.stream());
                Record.Origin origin = new Record.Origin(e.stream(), partition, e.id(), e.fields(), i);
                origins.add(origin);
                IngestGuard.Accepted accepted;
                try {
                    if (e.fields().isEmpty()) {   // Redis' answer for a pending entry deleted since it was read
                        throw new RejectedEntryException(RejectedEntryException.Reason.DELETED_BEFORE_PROCESSING, "the entry "
                                + "was deleted (XDEL, MAXLEN, XTRIM or retention) after its group read it and before it "
                                + "was processed: its data is gone", null);
                    }
                    if (e.defect() != null) {   // a field twice, bytes that are not UTF-8: found as the entry was read
                        throw new RejectedEntryException(RejectedEntryException.Reason.INVALID_ENVELOPE, e.defect(), null);
                    }
                    accepted = guard.check(e.stream(), partition, e.fields(), source.valueSerde(),
                            source.acceptsTombstones(), output.wallClockTime(), source.subjectOf(), source.eventTimeOf());
                } catch (RejectedEntryException ex) {
                    output.deadLetter(new Record<>(null, null, 0L, Envelope.traceIdOf(e.fields()), origin), source.name(), ex, 1);
                    continue;
                }
                Envelope env = accepted.envelope();
                String eventKey = DedupeCache.keyOf(e.stream(), env.source(), env.id());   // stream + source + id
                if (output.duplicate(eventKey)) {
                    continue;
                }
                output.accepted(origin, eventKey);
                Record<Object, Object> record = new Record<>(env.subject(), accepted.value(), env.time().toEpochMilli(), env.traceId(), origin);
                // capped at the entry's arrival + lead: a record stamped ahead of its arrival does not move the
                // task's published watermark past the records that arrive on time after it
                acceptedMaxTimeMs = Math.max(acceptedMaxTimeMs, output.streamTimeOf(record));
                outputs.computeIfAbsent(source, k -> new ArrayList<>()).add(record);
            }
            output.batchOrigins(origins);
            if (!depthFirst) {
                return runAll(List.of(outputs), Long.MIN_VALUE, output);
            }
            List<Map.Entry<TopologyNode, Record<Object, Object>>> inOrder = new ArrayList<>();
            outputs.forEach((source, records) -> records.forEach(r -> inOrder.add(Map.entry(source, r))));
            inOrder.sort(Comparator.comparingInt(e -> e.getValue().origin().sequence()));
            List<Map<TopologyNode, List<Record<Object, Object>>>> units = new ArrayList<>(inOrder.size());
            for (Map.Entry<TopologyNode, Record<Object, Object>> e : inOrder) {
                units.add(Map.of(e.getKey(), List.of(e.getValue())));
            }
            return runAll(units, Long.MIN_VALUE, output);
        });
    }

    /**
     * Wall-clock punctuation: every processor node may forward records (see {@link Stage#punctuate}); they flow
     * through the rest of the sub-topology like records of a batch.
     *
     * @param now wall-clock time, epoch ms
     */
    public Mono<Void> punctuate(long now, TaskOutput output) {
        return Mono.defer(() -> {
            init(output);
            return runAll(List.of(Map.of()), now, output);
        });
    }

    /**
     * Runs each unit (the whole batch, or one record in depth-first order) through the plan, one after the other.
     * A unit runs synchronously on the calling thread unless a stage needs Reactor (a retry with backoff, a
     * {@code transform}, a punctuation): then the rest runs when that step completes.
     */
    private Mono<Void> runAll(List<Map<TopologyNode, List<Record<Object, Object>>>> units, long punctuateAt, TaskOutput output) {
        NodeStats stats = new NodeStats(plan.length);
        for (int u = 0; u < units.size(); u++) {
            Pass pass = new Pass(units.get(u), punctuateAt, output, stats);
            if (!pass.resume()) {
                List<Map<TopologyNode, List<Record<Object, Object>>>> later = units.subList(u + 1, units.size());
                return pass.finish()
                        .then(Flux.fromIterable(later)
                                .concatMap(unit -> {
                                    Pass next = new Pass(unit, punctuateAt, output, stats);
                                    return next.resume() ? Mono.<Void>empty() : next.finish();
                                })
                                .then())
                        .then(Mono.fromRunnable(() -> stats.report(output)));
            }
        }
        stats.report(output);
        return Mono.empty();
    }

    /** Records in, records out and time per plan node over one batch (or one punctuation), reported once. */
    private final class NodeStats {
        final int[] in;
        final int[] out;
        final long[] nanos;

        NodeStats(int n) {
            in = new int[n];
            out = new int[n];
            nanos = new long[n];
        }

        void report(TaskOutput output) {
            // every processor node, once per batch (its meters exist and count batches even when no record reached it)
            for (int i = 0; i < plan.length; i++) {
                if (plan[i].kind() == TopologyNode.Kind.PROCESSOR) {
                    output.nodeProcessed(plan[i].name(), in[i], out[i], nanos[i]);
                }
            }
        }
    }

    /**
     * One unit's way through the precompiled plan: node by node in topological order, each node's input the
     * outputs of its parents. {@link #resume()} goes as far as it can synchronously.
     */
    private final class Pass {
        private final List<Record<Object, Object>>[] outputs;
        private final long punctuateAt;
        private final TaskOutput output;
        private final NodeStats stats;
        private int node;
        // state of the node in progress (input == null: not started)
        private List<Record<Object, Object>> input;
        private List<Record<Object, Object>> out;
        private RecordStage recordStage;
        private int next;
        private boolean punctuated;
        private long started;
        private Mono<Void> pending;
        private boolean done;

        @SuppressWarnings("unchecked")
        Pass(Map<TopologyNode, List<Record<Object, Object>>> sources, long punctuateAt, TaskOutput output, NodeStats stats) {
            this.outputs = new List[slots];
            for (SinkGroup group : sinkGroups) {
                group.clear();   // nothing left from a pass that failed
            }
            sources.forEach((source, records) -> {
                int slot = slotOf.get(source);
                outputs[slot] = records;
                if (ordered) {
                    ForwardOrder order = orderOfSlot[slot];
                    order.clear();
                    for (Record<Object, Object> r : records) {
                        order.addUnknown(r);   // an input record: its position in the batch, the whole range
                    }
                }
            });
            this.punctuateAt = punctuateAt;
            this.output = output;
            this.stats = stats;
            if (!passHolders.isEmpty()) {
                snapshotHolds();
            }
        }

        /**
         * Goes through the plan as far as it can synchronously.
         *
         * @return true when the unit went through the whole plan; false when it stopped at a step that needs Reactor
         *         ({@link #finish()} does that step and the rest)
         */
        boolean resume() {
            try {
                return resumeUnguarded();
            } catch (OutOfMemoryError e) {
                throw new io.quantumtrader.streams.dsl.internals.RanOutOfMemory(e);   // a failure of the run, not JVM-fatal to Reactor
            }
        }

        private boolean resumeUnguarded() {
            while (node < plan.length) {
                TopologyNode n = plan[node];
                if (input == null) {
                    input = inputOf(node, outputs);
                    if (n.kind() == TopologyNode.Kind.SINK) {
                        if (sinkGroupOf[node] >= 0) {
                            sinkInGroup(node, input, output);
                        } else {
                            sink(n, input, output);
                        }
                        finishNode(input);
                        continue;
                    }
                    if (ordered) {
                        orderOfSlot[planSlots[node]].clear();
                    }
                    if (input.isEmpty() && punctuateAt == Long.MIN_VALUE) {
                        finishNode(List.of());
                        continue;
                    }
                    started = System.nanoTime();
                    if (merges[node]) {   // passes its input through, already in order (inputOf)
                        if (ordered) {
                            orderOfSlot[planSlots[node]].copyOf(orderOfInput[node]);
                        }
                        finishNode(input);
                        continue;
                    }
                    out = new ArrayList<>();
                    next = 0;
                    punctuated = punctuateAt == Long.MIN_VALUE;
                    recordStage = stages[node].recordStage(output);
                }
                Stage stage = stages[node];
                if (!punctuated) {
                    punctuated = true;
                    return later(stage.punctuate(punctuateAt, output).collectList(), this::addUnknown);
                }
                if (recordStage == null) {
                    if (next >= input.size()) {
                        finishNode(out);
                        continue;
                    }
                    next = input.size(); // the whole input goes to the batch form at once
                    return later(stage.apply(Flux.fromIterable(input), output).collectList(), this::addUnknown);
                }
                while (next < input.size()) {
                    int at = next++;
                    Record<Object, Object> r = input.get(at);
                    int before = out.size();
                    try {
                        recordStage.applyOnce(r, output, out);
                    } catch (RuntimeException e) {
                        return later(recordStage.retry(r, output, e).collectList(), retried -> {
                            int from = out.size();
                            out.addAll(retried);
                            madeOf(at, from);
                        });
                    }
                    madeOf(at, before);
                }
                finishNode(out);
            }
            return true;
        }

        /**
         * @return completes when the unit went through the whole plan: the pending step, then {@link #resume()},
         *         repeated until done (a loop, not nested subscriptions, however many steps need Reactor)
         */
        Mono<Void> finish() {
            return Mono.defer(() -> {
                        Mono<Void> step = pending;
                        pending = null;
                        return step;
                    })
                    .then(Mono.fromRunnable(() -> done = resume()))
                    .repeat(() -> !done)
                    .then();
        }

        /**
         * Records the positions of {@code out}'s records from {@code from} on: the outputs of input record
         * {@code at}, in order ({@link ForwardOrder#addPart}); the last {@link RecordStage#madeAfterRecord()} of them
         * (a stream-time punctuation's) after everything the input record makes in the sub-topology, as Kafka Streams
         * punctuates once the record's {@code process} returned ({@link ForwardOrder#addAfter}; before 2026-12-06
         * they stood among the punctuating node's outputs of that record).
         */
        private void madeOf(int at, int from) {
            if (ordered) {
                int made = out.size() - from;
                int after = made == 0 ? 0 : Math.min(recordStage.madeAfterRecord(), made);
                int own = made - after;
                ForwardOrder order = orderOfSlot[planSlots[node]];
                for (int j = 0; j < own; j++) {
                    order.addPart(orderOfInput[node], at, j, own);
                }
                for (int j = 0; j < after; j++) {
                    order.addAfter(orderOfInput[node], at, node, plan.length, j, after);
                }
            }
        }

        /** Appends records whose input record is not known (a punctuation's, a batch-form stage's) to {@code out}. */
        private void addUnknown(List<Record<Object, Object>> records) {
            out.addAll(records);
            if (ordered) {
                ForwardOrder order = orderOfSlot[planSlots[node]];
                for (Record<Object, Object> r : records) {
                    order.addUnknown(r);
                }
            }
        }

        private void finishNode(List<Record<Object, Object>> produced) {
            TopologyNode n = plan[node];
            if (n.kind() == TopologyNode.Kind.PROCESSOR && (!input.isEmpty() || !produced.isEmpty() || punctuateAt != Long.MIN_VALUE)) {
                stats.in[node] += n.branch() ? produced.size() : input.size();   // a branch: its own records
                stats.out[node] += produced.size();
                stats.nanos[node] += System.nanoTime() - started;
            }
            outputs[planSlots[node]] = produced;
            input = null;
            out = null;
            node++;
        }

        /** Stops the synchronous pass at {@code step}; {@link #finish()} runs it, hands its result to {@code then} and goes on. */
        private boolean later(Mono<List<Record<Object, Object>>> step, java.util.function.Consumer<List<Record<Object, Object>>> then) {
            pending = step.doOnNext(then).then();
            return false;
        }
    }

    /** Closes every stage (processors' {@code close()}). */
    public void close() {
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] != null) {
                try {
                    stages[i].close();
                } catch (RuntimeException e) {   // e.g. a forward from Processor#close, refused: the other stages still close
                    org.slf4j.LoggerFactory.getLogger(SubtopologyExecutor.class).warn(
                            "processor '{}' failed to close: {}", plan[i].name(), CauseMessages.of(e));
                }
            }
        }
    }

    /**
     * @return the records reaching plan node {@code node} from its parents; with {@link #ordered}, their positions
     *         are in {@link #orderOfInput}, and a node with several parents gets them in Kafka Streams' order
     */
    private List<Record<Object, Object>> inputOf(int node, List<Record<Object, Object>>[] outputs) {
        int[] parents = parentSlots[node];
        ForwardOrder order = ordered ? orderOfInput[node] : null;
        if (order != null) {
            order.clear();
        }
        if (parents.length == 1) {
            List<Record<Object, Object>> only = outputs[parents[0]];
            if (only == null) {
                return List.of();
            }
            if (order != null) {
                positionsFrom(order, node, 0, only.size());
            }
            return only;
        }
        List<Record<Object, Object>> merged = null;
        int nonEmpty = 0;
        for (int p = 0; p < parents.length; p++) {
            List<Record<Object, Object>> o = outputs[parents[p]];
            if (o != null && !o.isEmpty()) {
                nonEmpty++;
                if (merged == null) {
                    merged = o;
                } else {
                    if (nonEmpty == 2) {
                        merged = new ArrayList<>(merged);
                    }
                    merged.addAll(o);
                }
                positionsFrom(order, node, p, o.size());
            }
        }
        if (merged == null) {
            return List.of();
        }
        // records of different input records in input order, records of one input record depth first (Kafka's order)
        return nonEmpty > 1 ? order.sort(merged) : merged;
    }

    /** Appends the positions of parent {@code p}'s {@code count} records as seen by plan node {@code node}. */
    private void positionsFrom(ForwardOrder order, int node, int p, int count) {
        int parentSlot = parentSlots[node][p];
        ForwardOrder parent = orderOfSlot[parentSlot];
        int edge = edgeOf[node][p];
        int edges = childEdges[parentSlot];
        for (int i = 0; i < count; i++) {
            order.addPart(parent, i, edge, edges);   // the record as the parent's child number `edge`
        }
    }

    /**
     * A sink that shares its stream with other sinks: its records wait for the group's last sink in the plan, which
     * writes the group's records in processing order (Kafka: depth first, so the order does not follow the plan's).
     */
    private void sinkInGroup(int node, List<Record<Object, Object>> records, TaskOutput output) {
        SinkGroup group = sinkGroups[sinkGroupOf[node]];
        ForwardOrder positions = orderOfInput[node];
        for (int i = 0; i < records.size(); i++) {
            group.records.add(records.get(i));
            group.sinks.add(plan[node]);
            group.order.addPart(positions, i, 0, 1);
        }
        if (!lastOfSinkGroup[node]) {
            return;
        }
        int n = group.records.size();
        int[] idx = group.order.inOrder() ? null : group.order.sortedIndexes();
        for (int k = 0; k < n; k++) {
            int i = idx == null ? k : idx[k];
            sinkOne(group.sinks.get(i), group.records.get(i), output);
        }
        group.clear();
    }

    private static void sink(TopologyNode sink, List<Record<Object, Object>> records, TaskOutput output) {
        for (Record<Object, Object> r : records) {
            sinkOne(sink, r, output);
        }
    }

    /**
     * Writes one record: partitioned by its subject; at a sink of a windowed table's records ({@link
     * TopologyNode#windowedKeys()}) a windowed key by its key's subject (Kafka Streams' {@code WindowedStreamPartitioner}:
     * every window of a key in the key's partition, in order; the sources of that stream accept it there,
     * {@code Topology#windowedKeyStreams}); or by the sink's partition key ({@code repartition} by value).
     */
    private static void sinkOne(TopologyNode sink, Record<Object, Object> r, TaskOutput output) {
        try {
            String subject = sink.keySerializer().apply(r.key());
            String partitionKey = sink.partitionKey() != null ? sink.partitionKey().apply(r.key(), r.value())
                    : sink.windowedKeys() && r.key() instanceof Windowed<?> windowed
                    ? sink.keySerializer().apply(windowed.key()) : subject;
            output.emit(sink.name(), sink.streams().get(0), subject, partitionKey, r);
        } catch (RuntimeException e) {
            output.deadLetter(r, sink.name(), e, 1);
        }
    }

    /** @return per processor node of the sub-topology that may drop records, why ({@link Stage#dropReasons()}) */
    public Map<String, java.util.Set<String>> dropReasons() {
        Map<String, java.util.Set<String>> reasons = new java.util.LinkedHashMap<>();
        for (int i = 0; i < plan.length; i++) {
            if (stages[i] != null && !stages[i].dropReasons().isEmpty()) {
                reasons.put(plan[i].name(), stages[i].dropReasons());
            }
        }
        return reasons;
    }

    /**
     * Tells each window stage downstream of a processor that holds records back ({@link TopologyNode#holdsRecords()}) what
     * those processors hold ({@link Stage#upstreamHolds}): a window must not close while a record of it is held
     * upstream in its own task. Found in review (2026-12-07, multi-symbol replay): a genuine jump of one symbol, held
     * by the price band and confirmed 40 s later, was dropped as late by the candle windows because another symbol's
     * prints in the same task had moved their stream time past its minute's end + grace; alone in its partition the
     * same print was in its candle ({@code HeldUpstreamWindowTest}).
     *
     * @return true when a stage was given a hold to read (the task then runs record by record)
     */
    private boolean giveUpstreamHolds() {
        boolean given = false;
        passHold = new long[plan.length];
        java.util.Arrays.fill(passHold, Long.MAX_VALUE);
        Map<Integer, Integer> planOfSlot = new HashMap<>();
        for (int i = 0; i < plan.length; i++) {
            planOfSlot.put(planSlots[i], i);
        }
        List<java.util.BitSet> ancestors = new ArrayList<>();
        for (int i = 0; i < plan.length; i++) {   // topological order: every parent's set is complete
            java.util.BitSet a = new java.util.BitSet(plan.length);
            for (int slot : parentSlots[i]) {
                Integer p = planOfSlot.get(slot);
                if (p != null) {
                    a.set(p);
                    a.or(ancestors.get(p));
                }
            }
            ancestors.add(a);
        }
        for (int i = 0; i < plan.length; i++) {
            if (!(stages[i] instanceof io.quantumtrader.streams.dsl.internals.WindowAggregateStage)) {
                continue;   // the only stage that reads them: each one read costs a question to every holder
            }
            List<Stage> holders = new ArrayList<>();
            ancestors.get(i).stream().filter(j -> stages[j] != null && plan[j].holdsRecords()).forEach(j -> holders.add(stages[j]));
            if (holders.isEmpty()) {
                continue;
            }
            Stage[] held = holders.toArray(Stage[]::new);
            given = true;
            int stage = i;
            passHolders.put(stage, held);
            // what was held when the unit (one input record, or a punctuation) started, or now if earlier: records a
            // holder released in this unit and not yet through the window count as held (review 2026-12-07: of two
            // prints released together the second was dropped as late)
            stages[i].upstreamHolds(() -> Math.min(passHold[stage], earliestHeld(held)));
        }
        return given;
    }

    /** Per plan node given holds ({@link #giveUpstreamHolds}): the holders upstream of it. */
    private final Map<Integer, Stage[]> passHolders = new HashMap<>();
    /** Per plan node: {@link #earliestHeld} of its holders when the current unit started ({@link Pass}). */
    private long[] passHold;

    /** Records what each node's upstream holders hold as a unit starts. */
    private void snapshotHolds() {
        passHolders.forEach((stage, held) -> passHold[stage] = earliestHeld(held));
    }

    /** @return the earliest record {@code held} hold (epoch ms), MAX_VALUE none, MIN_VALUE unknown or failed */
    private static long earliestHeld(Stage[] held) {
        long earliest = Long.MAX_VALUE;
        for (Stage h : held) {
            try {
                earliest = Math.min(earliest, h.watermarkHoldMs());
            } catch (RuntimeException e) {
                return Long.MIN_VALUE;   // unknown: nothing closes (holds() logs the failure)
            }
        }
        return earliest;
    }

    /** Wall-clock ms a failed {@link Stage#watermarkHoldMs()} was last logged: at most one line a minute per task run. */
    private long holdFailureLoggedMs = Long.MIN_VALUE;

    /**
     * The task's watermark for a stream time: {@code streamTimeMs - }{@link #watermarkLagMs()}, and below the earliest
     * record a stage still holds ({@link Stage#watermarkHoldMs()} - 1), so no record the task forwards later is older
     * than a watermark it published. A stage that holds a record of {@code Long.MIN_VALUE} (a processor that does not
     * know its held record's time) holds the watermark where it is (before 2026-12-06, {@code held - 1} overflowed
     * and the watermark passed it). A stage whose answer fails ({@link
     * io.quantumtrader.streams.processor.Processor#earliestHeldTimestamp()} threw) holds it too, with a warning at most
     * once a minute: its records may still come, and before 2026-12-06 the exception failed the task at every batch,
     * which restarted into the same failure for good ({@code EarliestHeldTimestampEdgesTest}).
     *
     * @param streamTimeMs the task's stream time, or the floor of its inputs (epoch ms)
     * @return the watermark to publish (epoch ms); {@code Long.MIN_VALUE} when a stage holds it where it is
     */
    public long watermark(long streamTimeMs) {
        return watermark(streamTimeMs, earliestHeldMs());
    }

    /**
     * As {@link #watermark(long)} with the stages' hold already asked: a caller that also needs to know whether the
     * task holds records ({@code earliestHeldMs != Long.MAX_VALUE}) asks the processors once.
     *
     * @param streamTimeMs   the task's stream time, or the floor of its inputs (epoch ms)
     * @param earliestHeldMs what {@link #earliestHeldMs()} answered, after the last record processed
     * @return the watermark to publish (epoch ms); {@code Long.MIN_VALUE} when a stage holds it where it is
     */
    public long watermark(long streamTimeMs, long earliestHeldMs) {
        long watermark = streamTimeMs - watermarkLagMs();
        if (earliestHeldMs == Long.MAX_VALUE) {
            return watermark;
        }
        return Math.min(watermark, earliestHeldMs == Long.MIN_VALUE ? Long.MIN_VALUE : earliestHeldMs - 1);
    }

    /**
     * What the stages hold, from one question to each ({@link Stage#watermarkHoldMs()}).
     *
     * @param earliestMs  the earliest event time a stage holds a record of, or a window's earliest final result still
     *                    to come (epoch ms): {@link Long#MAX_VALUE} when none holds anything; {@code Long.MIN_VALUE}
     *                    when one holds a record of unknown time or its answer failed (logged at most once a minute)
     * @param recordsHeld whether a stage holds records back ({@link Stage#holdsRecordsBack()}: a processor whose
     *                    {@code earliestHeldTimestamp()} is not {@link Long#MAX_VALUE}, also when its answer failed):
     *                    the task says so to its readers ({@code StreamKeys#holdMarks}) so they do not count it idle.
     *                    Not a window's final results still to come, which keep the watermark below them too: a window
     *                    stays open for as long as no record closes it, and a task whose partition fell silent with
     *                    windows open is idle to its readers as before
     */
    public record Holds(long earliestMs, boolean recordsHeld) {
    }

    /** @return what the stages hold now, every stage asked once */
    public Holds holds() {
        long earliest = Long.MAX_VALUE;
        boolean records = false;
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] != null) {
                long held;
                try {
                    held = stages[i].watermarkHoldMs();
                } catch (RuntimeException e) {
                    long now = System.currentTimeMillis();
                    if (holdFailureLoggedMs == Long.MIN_VALUE || now - holdFailureLoggedMs >= 60_000) {
                        holdFailureLoggedMs = now;
                        org.slf4j.LoggerFactory.getLogger(SubtopologyExecutor.class).warn("processor '{}' (task {}_{}): "
                                + "earliestHeldTimestamp() failed ({}); the task's watermark stays where it is until it "
                                + "answers, and aligned consumers downstream wait: fix the processor", plan[i].name(),
                                subtopology.id(), partition, CauseMessages.of(e));
                    }
                    held = Long.MIN_VALUE;
                }
                earliest = Math.min(earliest, held);
                records |= held != Long.MAX_VALUE && stages[i].holdsRecordsBack();
            }
        }
        return new Holds(earliest, records);
    }

    /** @return {@link #holds()}' earliest time ({@link Holds#earliestMs()}) */
    public long earliestHeldMs() {
        return holds().earliestMs();
    }

    /** @return {@link #holds()}' answer whether records are held back ({@link Holds#recordsHeld()}) */
    public boolean holdsRecords() {
        return holds().recordsHeld();
    }

    /** @return the largest {@link Stage#watermarkLagMs()} of the sub-topology's stages (ms) */
    public long watermarkLagMs() {
        long lag = 0;
        for (Stage stage : stages) {
            if (stage != null) {
                lag = Math.max(lag, stage.watermarkLagMs());
            }
        }
        return lag;
    }
}
