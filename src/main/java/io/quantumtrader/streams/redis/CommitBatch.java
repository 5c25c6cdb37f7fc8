package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.state.StateWrites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write set of one task batch, turned into the KEYS and ARGV of {@code commit.lua}: state writes, outputs,
 * the input event ids (dedupe) and acknowledgements, applied atomically by {@link CommitScript}.
 */
public final class CommitBatch implements StateWrites {

    private final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    /**
     * State writes in runs: consecutive writes of one kind (set or delete) to one hash, so the script writes a run with
     * one {@code HSET} or {@code HDEL}. Script arguments here and below: {@code String}s, and shared {@code byte[]}s for
     * numbers and field names ({@link ScriptArgs}).
     */
    private final List<StateRun> state = new ArrayList<>();
    /** Script arguments the state writes take: nRuns, then per run three header arguments and its fields (and values). */
    private int stateArgs = 1;
    /**
     * Outputs by stream key, in the order each key was first written: runs of consecutive outputs to the key with the
     * same {@code MAXLEN} and field names, so the script gets each run's field names once ({@code append_outputs}).
     */
    private final Map<String, List<OutputRun>> outputs = new LinkedHashMap<>();
    private int outputRuns;
    /** Script arguments the outputs take: nRuns, then per run four header arguments, its names and its values. */
    private int outputArgs = 1;
    private final Map<String, List<String>> acks = new LinkedHashMap<>();
    private int stateCount;
    private int outputCount;
    private int ackCount;
    /** The batch's input event ids, laid out as the body of one {@link DedupeLog} element. */
    private final StringBuilder seen = new StringBuilder();
    private int seenCount;
    private long seenNewestArrival = Long.MIN_VALUE;
    private final String outboxKey;
    private final int ownSlot;
    private int outboxed;

    /** A batch whose outputs all go into the commit script (one Redis server, any slot). */
    public CommitBatch() {
        this(null);
    }

    /**
     * A batch for a Redis Cluster: outputs bound for a slot other than the outbox's are written into the task's
     * outbox instead (fields {@value #OUTBOX_TARGET} and {@value #OUTBOX_MAXLEN} added), so the commit script touches
     * one slot only; {@link OutboxForwarder} appends them to their streams after the commit.
     *
     * @param outboxKey the task's outbox ({@link StreamKeys#outbox}), or null for no routing
     */
    public CommitBatch(String outboxKey) {
        this.outboxKey = outboxKey;
        this.ownSlot = outboxKey == null ? -1 : io.lettuce.core.cluster.SlotHash.getSlot(outboxKey);
    }

    /** Outbox field: the stream key an outbox entry is bound for. */
    public static final String OUTBOX_TARGET = "qt.outbox.target";
    /** Outbox field: the MAXLEN of the target stream ('0' = none). */
    public static final String OUTBOX_MAXLEN = "qt.outbox.maxlen";

    /** @return the number of outputs of this batch written to the outbox (bound for another slot) */
    public int outboxed() {
        return outboxed;
    }

    /** Sets a field of a state hash. */
    @Override
    public void put(String hashKey, String field, String value) {
        List<String> args = stateRun(hashKey, false);
        args.add(field);
        args.add(value);
        stateArgs += 2;
    }

    /** Deletes a field of a state hash. */
    @Override
    public void delete(String hashKey, String field) {
        stateRun(hashKey, true).add(field);
        stateArgs++;
    }

    /** @return the arguments of the current run of state writes when it is of the same kind on the same hash, else of a new one */
    private List<String> stateRun(String hashKey, boolean deletes) {
        StateRun run = state.isEmpty() ? null : state.get(state.size() - 1);
        if (run == null || run.deletes != deletes || !run.hashKey.equals(hashKey)) {
            run = new StateRun(hashKey, index(hashKey), deletes);
            state.add(run);
            stateArgs += 3;
        }
        stateCount++;
        return run.args;
    }

    /** Consecutive sets (field, value, …) or deletes (field, …) on one hash. */
    private record StateRun(String hashKey, Object keyIndex, boolean deletes, List<String> args) {
        StateRun(String hashKey, Object keyIndex, boolean deletes) {
            this(hashKey, keyIndex, deletes, new ArrayList<>());
        }
    }

    /** Outbox {@value #OUTBOX_MAXLEN} of an entry that sets a hash field (a watermark) instead of appending to a stream. */
    public static final String OUTBOX_HASH_FIELD = "W";

    /**
     * Sets a watermark field in a hash of any slot (DESIGN §2 "Event time across inputs"): in the commit when the hash is
     * in the batch's slot (or there is no outbox), else through the outbox, after this batch's outputs bound for that
     * slot, so the target slot gets the watermark only with (or after) the outputs it covers.
     */
    public void putWatermark(String hashKey, String field, String value) {
        if (outboxKey == null || io.lettuce.core.cluster.SlotHash.getSlot(hashKey) == ownSlot) {
            put(hashKey, field, value);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(field, value);
        fields.put(OUTBOX_TARGET, hashKey);
        fields.put(OUTBOX_MAXLEN, OUTBOX_HASH_FIELD);
        append(outboxKey, 0, fields);
        outboxed++;
    }

    /** Appends an entry to a stream partition; {@code maxLen} 0 means no cap, else {@code MAXLEN ~ maxLen}. */
    public void add(String streamKey, long maxLen, Map<String, String> fields) {
        if (outboxKey != null && io.lettuce.core.cluster.SlotHash.getSlot(streamKey) != ownSlot) {
            Map<String, String> routed = new LinkedHashMap<>(fields);
            routed.put(OUTBOX_TARGET, streamKey);
            routed.put(OUTBOX_MAXLEN, Long.toString(maxLen));
            fields = routed;
            streamKey = outboxKey;
            maxLen = 0;
            outboxed++;
        }
        append(streamKey, maxLen, fields);
    }

    /**
     * Adds an output to the last run of its stream key when it has the same {@code MAXLEN} and field names (in the same
     * order), else starts a run. A key's outputs keep their order; across keys the script appends them key by key, which
     * no reader can tell apart (the script is atomic).
     */
    private void append(String streamKey, long maxLen, Map<String, String> fields) {
        List<OutputRun> runs = outputs.computeIfAbsent(streamKey, k -> new ArrayList<>(2));
        OutputRun run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (run == null || !run.fits(maxLen, fields)) {
            run = new OutputRun(index(streamKey), maxLen, new ArrayList<>(fields.keySet()));
            runs.add(run);
            outputRuns++;
            outputArgs += 4 + fields.size();
        }
        run.values.addAll(fields.values());
        run.count++;
        outputArgs += fields.size();
        outputCount++;
    }

    /** Consecutive outputs to one stream key with the same {@code MAXLEN} and field names. */
    private static final class OutputRun {
        final Object keyIndex;
        final long maxLen;
        final List<String> names;
        final List<Object> values = new ArrayList<>();
        int count;

        OutputRun(Object keyIndex, long maxLen, List<String> names) {
            this.keyIndex = keyIndex;
            this.maxLen = maxLen;
            this.names = names;
        }

        boolean fits(long maxLen, Map<String, String> fields) {
            if (maxLen != this.maxLen || fields.size() != names.size()) {
                return false;
            }
            int i = 0;
            for (String name : fields.keySet()) {
                String mine = names.get(i++);
                if (mine != name && !mine.equals(name)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Adds the outputs in the layout of {@code append_outputs}: nRuns, then per run its header, names and values. */
    private void addOutputs(List<Object> a) {
        a.add(ScriptArgs.number(outputRuns));
        outputs.values().forEach(runs -> runs.forEach(run -> {
            a.add(run.keyIndex);
            a.add(ScriptArgs.number(run.maxLen));
            a.add(ScriptArgs.number(run.count));
            a.add(ScriptArgs.number(run.names.size()));
            run.names.forEach(name -> a.add(ScriptArgs.name(name)));
            a.addAll(run.values);
        }));
    }

    /** Acknowledges an input entry. */
    public void ack(String streamKey, String id) {
        index(streamKey);
        acks.computeIfAbsent(streamKey, k -> new ArrayList<>()).add(id);
        ackCount++;
    }

    /**
     * Records an input event id in the task's dedupe log with the commit ({@link DedupeLog}: one element per commit),
     * so a later entry with the same id (a producer's retry, a replay into the same namespace) is recognized and only
     * acknowledged, after a restart too.
     *
     * @param eventId the envelope id of an input entry processed by this batch
     * @param arrivalMs the entry's arrival time (the ms part of its stream entry id); the dedupe window counts from it
     */
    public void seen(String eventId, long arrivalMs) {
        DedupeLog.append(seen, eventId);
        seenCount++;
        seenNewestArrival = Math.max(seenNewestArrival, arrivalMs);
    }

    /** @return the number of event ids recorded with this batch */
    public int seenCount() {
        return seenCount;
    }

    /** @return true when the batch would change nothing */
    public boolean isEmpty() {
        return stateCount == 0 && outputCount == 0 && ackCount == 0 && seenCount == 0;
    }

    /** @return the number of entries this batch acknowledges */
    public int ackCount() {
        return ackCount;
    }

    /** @return the number of entries this batch appends */
    public int outputCount() {
        return outputCount;
    }

    /** @return the number of state writes */
    public int stateWriteCount() {
        return stateCount;
    }

    /** @return KEYS for {@code append.lua}: the output streams */
    List<String> appendKeys() {
        return List.copyOf(keys);
    }

    /** @return ARGV for {@code append.lua}: the outputs only (no state, no acks) */
    List<Object> appendArgs() {
        List<Object> a = new ArrayList<>(outputArgs);
        addOutputs(a);
        return a;
    }

    /** @return KEYS for the commit script: the lease key, the meta hash and the dedupe log first */
    List<String> keys(String leaseKey, String metaKey, String dedupeKey) {
        List<String> k = new ArrayList<>(keys.size() + 3);
        k.add(leaseKey);
        k.add(metaKey);
        k.add(dedupeKey);
        k.addAll(keys);
        return k;
    }

    /**
     * @return ARGV for the commit script
     * @param runId         an id of the task's run making the commit, unique per run ({@link CommitScript#commit})
     * @param dedupeFloorMs a commit's event ids leave the dedupe log once the newest of them arrived before this time
     *                      (ms); {@code Long.MIN_VALUE} keeps them
     * @param dedupeMaxIds  the dedupe log keeps at least this many of the newest ids and drops whole commits beyond
     *                      them (the oldest first); 0 for no limit
     */
    List<Object> args(String token, String group, long previousCommit, long dedupeFloorMs, long dedupeMaxIds, String runId) {
        List<Object> a = new ArrayList<>(stateArgs + outputArgs + ackCount + acks.size() * 2 + 10);
        a.add(token);
        a.add(group);
        a.add(Long.toString(previousCommit));
        a.add(dedupeFloorMs == Long.MIN_VALUE ? "" : Long.toString(dedupeFloorMs));
        a.add(ScriptArgs.number(dedupeMaxIds));
        a.add(runId);
        a.add(ScriptArgs.number(state.size()));
        for (StateRun run : state) {
            a.add(run.keyIndex());
            a.add(run.deletes() ? "D" : "S");
            a.add(ScriptArgs.number(run.deletes() ? run.args().size() : run.args().size() / 2));
            a.addAll(run.args());
        }
        addOutputs(a);
        a.add(ScriptArgs.number(acks.size()));
        acks.forEach((key, ids) -> {
            a.add(ScriptArgs.number(keyIndex.get(key)));
            a.add(ScriptArgs.number(ids.size()));
            a.addAll(ids);
        });
        a.add(ScriptArgs.number(seenCount));
        if (seenCount > 0) {
            a.add(DedupeLog.element(seenNewestArrival, seenCount, seen));
        }
        return a;
    }

    private Object index(String key) {
        return ScriptArgs.number(keyIndex.computeIfAbsent(key, k -> {
            keys.add(k);
            return keys.size();
        }));
    }
}
