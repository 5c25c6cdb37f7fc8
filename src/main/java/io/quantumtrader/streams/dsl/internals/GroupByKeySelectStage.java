package io.quantumtrader.streams.dsl.internals;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The key selection of a {@code groupBy}: re-keys each record with the user's selector before its repartition sink.
 * Records an aggregation would skip never reach the repartition stream: a record with a {@code null} value (a table's
 * deletion forwarded by {@code toStream()}) is dropped before the selector runs, and a record the selector gives a
 * {@code null} key is dropped after; each counted ({@code null_value}, {@code null_key} in
 * {@code qt.streams.records.dropped}), as Kafka Streams' aggregations skip and count records with a null key or value
 * ({@code KStreamAggregate}, dropped-records). Found in review (2026-12-07): such records were dead-lettered by the
 * repartition sink, with a message about a {@code to()} the user never wrote.
 */
public final class GroupByKeySelectStage extends OneRecordStage {

    /** @param selector (key, value) → the new key; a {@code null} result drops the record */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public GroupByKeySelectStage(String node, BiFunction selector) {
        super(new RecordStage(node, (r, context) -> {
            if (r.value() == null) {
                context.recordDropped(node, "null_value");
                return List.of();
            }
            Object key = selector.apply(r.key(), r.value());
            if (key == null) {
                context.recordDropped(node, "null_key");
                return List.of();
            }
            return List.of(r.with(key, r.value()));
        }), java.util.Set.of("null_value", "null_key"));
    }
}
