package io.quantumtrader.streams.state;


import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task-local {@link KeyValueStore}: a cache of the committed Redis Hash, loaded at task start, plus the write set
 * of the batch being processed. {@link #writeTo} puts the write set into the task's commit and {@link #committed()}
 * folds it into the cache (the runtime does so before the commit returns, and reloads the store from Redis if a
 * commit fails).
 * A per-record journal lets a failed processor attempt undo its writes ({@link #beginRecord}/{@link #abortRecord}).
 * Values not known to be immutable ({@link StoreSpec#immutableValues()}) are handed out as copies, so a value changed
 * in place by the code that read it changes neither the store (nor what a failed attempt's undo restores) nor a value
 * forwarded before (found in review, 2026-12-05: an aggregator that mutated its accumulator emitted every update of a
 * batch with the batch's last state, and the mutations of dead-lettered attempts stayed in the aggregate), and are
 * stored as copies, so a value changed after it was put — an aggregate changed in place by a stage downstream of the
 * aggregation that forwarded it — does not change the store either (review 2026-12-07), as in Kafka Streams, whose
 * stores hold bytes.
 * Not thread-safe: used by its task only.
 */
public final class CachedKeyValueStore<K, V> implements KeyValueStore<K, V> {

    private static final Object TOMBSTONE = new Object();
    private static final Object CLEAN = new Object();

    private final StoreSpec<K, V> spec;
    private final String hashKey;
    private final Map<K, V> committed = new HashMap<>();
    private final Map<K, Object> dirty = new LinkedHashMap<>();
    private final Map<K, Object> journal = new HashMap<>();

    /** @param hashKey the Redis Hash holding this store's partition */
    public CachedKeyValueStore(StoreSpec<K, V> spec, String hashKey) {
        this.spec = spec;
        this.hashKey = hashKey;
    }

    /** Replaces the cache with the committed hash contents (field → serialized value). */
    public void load(Map<String, String> hash) {
        committed.clear();
        dirty.clear();
        journal.clear();
        hash.forEach((field, value) -> {
            try {
                committed.put(spec.keySerde().deserialize(field), spec.valueSerde().deserialize(value));
            } catch (RuntimeException e) {
                throw new StateStoreException("state store '" + spec.name() + "': field '" + clip(field) + "' of " + hashKey
                        + " cannot be read back (" + clip(String.valueOf(e.getMessage())) + "); fix or delete that field, "
                        + "then restart", e);
            }
        });
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        Object d = dirty.get(key);
        if (d != null) {
            return d == TOMBSTONE ? null : handOut((V) d);
        }
        return handOut(committed.get(key));
    }

    /** @return {@code value} itself when the store's values are immutable, else a copy ({@link io.quantumtrader.streams.record.Serde#copy}) */
    private V handOut(V value) {
        return spec.immutableValues() ? value : spec.valueSerde().copy(value);
    }

    @Override
    public void put(K key, V value) {
        if (key == null) {
            throw new IllegalArgumentException("store '" + spec.name() + "': key must not be null");
        }
        journal.putIfAbsent(key, dirty.containsKey(key) ? dirty.get(key) : CLEAN);
        // a copy of a value not known to be immutable: the caller keeps its object (an aggregator forwards the one it
        // returned), and a change to it downstream changed the stored aggregate (review 2026-12-07)
        dirty.put(key, value == null ? TOMBSTONE : storable(value));
    }

    /**
     * @return what the store keeps of {@code value}: itself when the store's values are immutable, else a copy through
     *         its serde — as it will be read back after a restart
     * @throws StateStoreException naming the store and the classes when {@code value} would not read back as itself: of
     *         another class than the store's JSON type (a subclass, another implementation of an interface), or one its
     *         serde writes and cannot read back (the record is dead-lettered with the message). A value its serde cannot
     *         write is kept: the commit then stops the task with an alert naming the store and the key, as before. Until 2026-12-07 such a value was kept as it was while the task ran, and
     *         after a restart it read back as another class (an aggregate changed its results) or not at all (the task
     *         could not start: found in review, {@code UnreadableStoreValueTest})
     */
    private V storable(V value) {
        io.quantumtrader.streams.record.Serde<V> serde = spec.valueSerde();
        if (spec.immutableValues()) {
            if (serde instanceof io.quantumtrader.streams.record.JsonSerde<V> json && json.type() != value.getClass()) {
                throw notStorable(value, "it is read back as " + json.type().getSimpleName());
            }
            return value;
        }
        String text;
        try {
            text = serde.serialize(value);
        } catch (RuntimeException e) {
            return value;   // cannot be written: the commit stops the task with an alert naming the store and key (StateStoreFailureTest)
        }
        V copy;
        try {
            copy = serde.deserialize(text);
        } catch (RuntimeException e) {
            throw notStorable(value, "it cannot be read back (" + e.getMessage() + ")");
        }
        if (copy == null || copy.getClass() != value.getClass()) {
            throw notStorable(value, "it is read back as " + (copy == null ? "null" : copy.getClass().getSimpleName()));
        }
        return copy;
    }

    private StateStoreException notStorable(V value, String why) {
        String type = spec.valueSerde() instanceof io.quantumtrader.streams.record.JsonSerde<V> json
                ? json.type().getSimpleName() : "its serde's type";
        return new StateStoreException("store '" + spec.name() + "' keeps " + type + " values: a " + value.getClass().getSimpleName()
                + " put into it would not survive a restart, as " + why + "; declare the store with the values' own class "
                + "(Materialized.as(\"" + spec.name() + "\", " + value.getClass().getSimpleName() + ".class))", null);
    }

    @Override
    public V delete(K key) {
        V previous = get(key);
        put(key, null);
        return previous;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<K, V> all() {
        Map<K, V> all = new HashMap<>(committed);
        dirty.forEach((k, v) -> {
            if (v == TOMBSTONE) {
                all.remove(k);
            } else {
                all.put(k, (V) v);
            }
        });
        if (!spec.immutableValues()) {
            all.replaceAll((k, v) -> handOut(v));
        }
        return all;
    }

    @Override
    public long approximateNumEntries() {
        long n = committed.size();
        for (Map.Entry<K, Object> e : dirty.entrySet()) {
            boolean stored = committed.containsKey(e.getKey());
            n += e.getValue() == TOMBSTONE ? (stored ? -1 : 0) : (stored ? 0 : 1);
        }
        return n;
    }

    /** Starts the undo journal of one record. */
    public void beginRecord() {
        journal.clear();
    }

    /** Undoes the writes since {@link #beginRecord()}. */
    public void abortRecord() {
        journal.forEach((k, previous) -> {
            if (previous == CLEAN) {
                dirty.remove(k);
            } else {
                dirty.put(k, previous);
            }
        });
        journal.clear();
    }

    /** Adds the batch's writes to the commit (HSET / HDEL on this store's hash). */
    public void writeTo(StateWrites batch) {
        dirty.forEach((k, v) -> {
            String field;
            try {
                field = spec.keySerde().serialize(k);
            } catch (RuntimeException e) {
                throw unwritable("a key (a " + k.getClass().getName() + ")", e);
            }
            if (v == TOMBSTONE) {
                batch.delete(hashKey, field);
            } else {
                @SuppressWarnings("unchecked") V value = (V) v;
                String text;
                try {
                    text = spec.valueSerde().serialize(value);
                } catch (RuntimeException e) {
                    throw unwritable("the value of key '" + clip(field) + "' (a " + value.getClass().getName() + ")", e);
                }
                batch.put(hashKey, field, text);
            }
        });
    }

    /** The write set becomes the cache's state. */
    @SuppressWarnings("unchecked")
    public void committed() {
        dirty.forEach((k, v) -> {
            if (v == TOMBSTONE) {
                committed.remove(k);
            } else {
                committed.put(k, (V) v);
            }
        });
        dirty.clear();
        journal.clear();
    }

    /** @return the Redis Hash key of this store partition */
    public String hashKey() {
        return hashKey;
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private StateStoreException unwritable(String what, RuntimeException e) {
        return new StateStoreException("state store '" + spec.name() + "': " + what + " cannot be written ("
                + clip(String.valueOf(e.getMessage())) + "); the code that puts it must change", e);
    }
}
