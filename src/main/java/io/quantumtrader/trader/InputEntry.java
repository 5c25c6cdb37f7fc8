package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;

/**
 * The input entry a record came from, as {@code <stream>/<entry id>} (empty when it has no origin): what a pending
 * order remembers as {@link io.quantumtrader.trader.execution.PendingOrder#placedBy()} so that it fills on a later
 * tick. Entry ids alone are per stream (Redis assigns {@code <ms>-<seq>} in each stream), so a signal's id could equal
 * a tick's (found in review, 2026-12-05). No partition: a task reads one partition of each of its (co-partitioned)
 * inputs, and the orders it keeps are its own; so the field is the same whatever the partition count (the
 * submitted-order events carry it).
 */
final class InputEntry {

    private InputEntry() {
    }

    /** @return {@code <stream>/<entry id>} of the record's input entry, or {@code ""} without origin */
    static String of(Record<?, ?> record) {
        Record.Origin o = record.origin();
        return o == null ? "" : o.stream() + "/" + o.entryId();
    }
}
