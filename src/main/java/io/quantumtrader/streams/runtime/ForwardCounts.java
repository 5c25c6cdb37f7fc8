package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.OutboxForwarder;

/**
 * Counts outbox forwards as they go into the runtime's counters (meters {@code qt.streams.outbox.forwarded} and
 * {@code qt.streams.outbox.repeats}): a forward that fails partway has counted what it did ({@link OutboxForwarder.Progress}).
 */
final class ForwardCounts implements OutboxForwarder.Progress {

    private final RuntimeCounters counters;

    ForwardCounts(RuntimeCounters counters) {
        this.counters = counters;
    }

    @Override
    public void appended(long entries) {
        counters.outboxForwarded.add(entries);
    }

    @Override
    public void repeats(long entries) {
        counters.outboxRepeats.add(entries);
    }
}
