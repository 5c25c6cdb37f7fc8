package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.state.KeyValueStore;

import java.util.List;

/**
 * Materializes a stream as a table (Kafka Streams {@code KTableSource}): the latest value per key is stored; a
 * {@code null} value (tombstone) deletes the key. Every change is forwarded; records with a {@code null} key are skipped.
 */
public final class TableSourceStage extends OneRecordStage {

    public TableSourceStage(String node, String store) {
        super(new RecordStage(node, (r, context) -> {
            if (r.key() == null) {
                context.recordDropped(node, "null_key");
                return List.of();
            }
            String key = String.valueOf(r.key());
            KeyValueStore<String, Object> kv = context.store(store);
            if (r.value() == null) {
                if (kv.delete(key) == null) {
                    return List.of();
                }
            } else {
                kv.put(key, r.value());
            }
            return List.of(r.withKey(key));
        }), java.util.Set.of("null_key"));
    }
}
