package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.state.KeyValueStore;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Stream–table join (Kafka Streams {@code KStreamKTableJoin} semantics): each stream record looks up the table's
 * current value for a key at the time it is processed. Inner join: no table value, no output. Left join: the joiner
 * gets {@code null}. Stream records with a {@code null} key or value are dropped, and, in an inner join, those whose
 * key selector returns {@code null} (each counted: {@code null_key}, {@code null_value}). The table is either a co-partitioned
 * {@link KeyedTable} (the stream's key) or a {@link GlobalTable} (a key chosen by {@code keySelector}).
 */
public final class JoinStage extends OneRecordStage {

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JoinStage(String node, String store, boolean global, BiFunction keySelector, BiFunction joiner, boolean left) {
        super(new RecordStage(node, (r, context) -> {
            if (r.key() == null || r.value() == null) {
                context.recordDropped(node, r.key() == null ? "null_key" : "null_value");
                return List.of();
            }
            Object tableKey = keySelector == null ? r.key() : keySelector.apply(r.key(), r.value());
            if (tableKey == null && !left) {
                // the key selector found no table key: an inner join drops the record, counted as Kafka Streams'
                // KStreamKTableJoinProcessor counts it (dropped-records); a left join goes on with no table value
                context.recordDropped(node, "null_key");
                return List.of();
            }
            KeyValueStore<String, Object> table = global ? context.globalStore(store) : context.store(store);
            Object tableValue = tableKey == null ? null : table.get(String.valueOf(tableKey));
            if (tableValue == null && !left) {
                return List.of();
            }
            return List.of(r.withValue(joiner.apply(r.value(), tableValue)));
        }));
    }
}
