package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.dsl.Aggregator;
import io.quantumtrader.streams.state.KeyValueStore;

import java.util.List;
import java.util.function.Supplier;

/**
 * Keyed aggregation into a key-value store (Kafka Streams {@code KStreamAggregate} semantics): records with a
 * {@code null} key or value are skipped; the new aggregate is stored and forwarded as the table's update.
 */
public final class AggregateStage extends OneRecordStage {

    @SuppressWarnings({"unchecked", "rawtypes"})
    public AggregateStage(String node, String store, Supplier<?> initializer, Aggregator aggregator) {
        super(new RecordStage(node, (r, context) -> {
            if (r.key() == null || r.value() == null) {
                context.recordDropped(node, r.key() == null ? "null_key" : "null_value");
                return List.of();
            }
            String key = String.valueOf(r.key());
            KeyValueStore<String, Object> kv = context.store(store);
            Object current = kv.get(key);
            Object next = aggregator.apply(key, r.value(), current == null ? initializer.get() : current);
            kv.put(key, next);
            return List.of(r.with(key, next));
        }), java.util.Set.of("null_key", "null_value"));
    }
}
