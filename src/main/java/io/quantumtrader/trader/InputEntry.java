package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;

/**
 * The input entry a record came from, as {@code <stream>/<partition>/<entry id>} (empty when it has no origin): what a
 * pending order remembers as {@link io.quantumtrader.trader.execution.PendingOrder#placedBy()} so that it fills on a
 * later tick. Entry ids alone are per stream (Redis assigns {@code <ms>-<seq>} in each stream), so a signal's id could
 * equal a tick's (found in review, 2026-12-05).
 */
final class InputEntry {

    private InputEntry() {
    }

    /** @return {@code <stream>/<partition>/<entry id>} of the record's input entry, or {@code ""} without origin */
    static String of(Record<?, ?> record) {
        Record.Origin o = record.origin();
        return o == null ? "" : o.stream() + "/" + o.partition() + "/" + o.entryId();
    }
}
