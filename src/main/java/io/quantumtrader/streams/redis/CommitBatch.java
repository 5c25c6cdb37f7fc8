package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.state.StateWrites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write set of one task batch, turned into the KEYS and ARGV of {@code commit.lua}: state writes, outputs and
 * acknowledgements, applied atomically by {@link CommitScript}.
 */
public final class CommitBatch implements StateWrites {

    private final List<String> keys = new ArrayList<>();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final List<String> state = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, List<String>> acks = new LinkedHashMap<>();
    private int stateCount;
    private int outputCount;
    private int ackCount;

    /** Sets a field of a state hash. */
    @Override
    public void put(String hashKey, String field, String value) {
        state.add(index(hashKey));
        state.add(field);
        state.add("S");
        state.add(value);
        stateCount++;
    }

    /** Deletes a field of a state hash. */
    @Override
    public void delete(String hashKey, String field) {
        state.add(index(hashKey));
        state.add(field);
        state.add("D");
        state.add("");
        stateCount++;
    }

    /** Appends an entry to a stream partition; {@code maxLen} 0 means no cap, else {@code MAXLEN ~ maxLen}. */
    public void add(String streamKey, long maxLen, Map<String, String> fields) {
        outputs.add(index(streamKey));
        outputs.add(Long.toString(maxLen));
        outputs.add(Integer.toString(fields.size() * 2));
        fields.forEach((k, v) -> {
            outputs.add(k);
            outputs.add(v);
        });
        outputCount++;
    }

    /** Acknowledges an input entry. */
    public void ack(String streamKey, String id) {
        index(streamKey);
        acks.computeIfAbsent(streamKey, k -> new ArrayList<>()).add(id);
        ackCount++;
    }

    /** @return true when the batch would change nothing */
    public boolean isEmpty() {
        return stateCount == 0 && outputCount == 0 && ackCount == 0;
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
    List<String> appendArgs() {
        List<String> a = new ArrayList<>(outputs.size() + 1);
        a.add(Integer.toString(outputCount));
        a.addAll(outputs);
        return a;
    }

    /** @return KEYS for the commit script: the lease key and the meta hash first */
    List<String> keys(String leaseKey, String metaKey) {
        List<String> k = new ArrayList<>(keys.size() + 2);
        k.add(leaseKey);
        k.add(metaKey);
        k.addAll(keys);
        return k;
    }

    /** @return ARGV for the commit script */
    List<String> args(String token, String group, long previousCommit) {
        List<String> a = new ArrayList<>(state.size() + outputs.size() + ackCount + acks.size() * 2 + 8);
        a.add(token);
        a.add(group);
        a.add(Long.toString(previousCommit));
        a.add(Integer.toString(stateCount));
        a.addAll(state);
        a.add(Integer.toString(outputCount));
        a.addAll(outputs);
        a.add(Integer.toString(acks.size()));
        acks.forEach((key, ids) -> {
            a.add(Integer.toString(keyIndex.get(key)));
            a.add(Integer.toString(ids.size()));
            a.addAll(ids);
        });
        return a;
    }

    private String index(String key) {
        return Integer.toString(keyIndex.computeIfAbsent(key, k -> {
            keys.add(k);
            return keys.size();
        }));
    }
}
