package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.state.KeyValueStore;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Stream–table join (Kafka Streams {@code KStreamKTableJoin} semantics, with KIP-962's null keys, Kafka Streams 3.7):
 * each stream record looks up the table's current value for a key at the time it is processed. Inner join: no table
 * value, no output. Left join: the joiner gets {@code null}. The table is either a co-partitioned {@link KeyedTable}
 * (the stream's key) or a {@link GlobalTable} (the key {@code keySelector} maps the record to; the stream's own key may
 * be {@code null}). Dropped, each counted ({@code null_value}, {@code null_key}): records with a {@code null} value;
 * in an inner join, records whose join key (the stream key, or the key selector's result) is {@code null}. A left join
 * keeps a record without a join key and calls the joiner with {@code null} (KIP-962; before 2026-12-05 such a
 * record was dropped, and a global join dropped a keyless record before its key selector ran: found in review).
 */
public final class JoinStage extends OneRecordStage {

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JoinStage(String node, String store, boolean global, BiFunction keySelector, BiFunction joiner, boolean left) {
        super(new RecordStage(node, (r, context) -> {
            if (r.value() == null) {
                context.recordDropped(node, "null_value");
                return List.of();
            }
            Object tableKey = keySelector == null ? r.key() : keySelector.apply(r.key(), r.value());
            if (tableKey == null && !left) {
                // no join key: an inner join drops the record, counted as Kafka Streams' KStreamKTableJoinProcessor
                // counts it (dropped-records); a left join goes on with no table value
                context.recordDropped(node, "null_key");
                return List.of();
            }
            Object tableValue = null;
            if (tableKey != null) {
                KeyValueStore<String, Object> table = global ? context.globalStore(store) : context.store(store);
                tableValue = table.get(String.valueOf(tableKey));
            }
            if (tableValue == null && !left) {
                return List.of();
            }
            return List.of(r.withValue(joiner.apply(r.value(), tableValue)));
        }), left ? java.util.Set.of("null_value") : java.util.Set.of("null_value", "null_key"));
    }
}
