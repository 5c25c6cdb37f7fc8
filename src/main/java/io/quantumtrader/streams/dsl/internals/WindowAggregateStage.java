package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.dsl.Aggregator;
import io.quantumtrader.streams.dsl.EmitStrategy;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.Windowed;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Windowed aggregation (Kafka Streams {@code KStreamWindowAggregate} semantics). Each record updates every window
 * containing its event time, unless the window is closed: {@code window end <= stream time - grace}, where stream
 * time is the largest event time this node has seen (persisted with the task's commit), each capped at its input
 * entry's arrival + {@code IngestLimits.maxStreamTimeLead} ({@link StageContext#streamTimeOf}). Late records are
 * dropped and counted. Aggregates live in the store under {@code <key>@<window start>}.
 *
 * <p>{@link EmitStrategy#ON_WINDOW_UPDATE}: every update is forwarded; windows are deleted once
 * {@code start + retention <= stream time}. {@link EmitStrategy#ON_WINDOW_CLOSE}: nothing is forwarded until stream
 * time reaches {@code end + grace}; then the final result is forwarded once (event time {@code end - 1}), in window
 * start then key order, and the window is deleted (a retention longer than size + grace is refused at build time
 * with this strategy: {@code TimeWindowedStream.aggregate}, {@code KeyedTable.suppress}).
 */
public final class WindowAggregateStage implements Stage {

    private final String node;
    private final String store;
    private final TimeWindows windows;
    private final long retentionMs;
    private final Supplier<EmitStrategy> emit;
    private final RecordStage stage;
    /** The smallest expiry of the open windows; {@link Long#MIN_VALUE} unknown (scan), {@link Long#MAX_VALUE} none open. */
    private long nextExpiry = Long.MIN_VALUE;
    /** The task's context, from {@link #init}: the store {@link #watermarkHoldMs()} scans when {@link #nextExpiry} is unknown. */
    private StageContext initContext;
    /** Every input ended ({@link Stage#END_OF_INPUT}): the open windows never close, so they hold nothing. */
    private boolean ended;
    /** The earliest record held back upstream in this task ({@link #upstreamHolds}), epoch ms; MAX_VALUE none. */
    private java.util.function.LongSupplier heldUpstream = () -> Long.MAX_VALUE;
    /** Whether a processor upstream in the task may hold records back ({@link #upstreamHolds} was called). */
    private boolean holdsUpstream;
    /**
     * With {@link #holdsUpstream}: the name under which the window's close floor is kept with the task's stream times
     * (committed with them): windows ending at or before it are closed.
     */
    private final String floorKey;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public WindowAggregateStage(String node, String store, TimeWindows windows, long retentionMs, Supplier<EmitStrategy> emit,
                         Supplier<?> initializer, Aggregator aggregator) {
        this.node = node;
        this.store = store;
        this.windows = windows;
        this.retentionMs = retentionMs;
        this.emit = emit;
        this.floorKey = node + "#close-floor";
        this.stage = new RecordStage(node, (r, context) -> {
            if (r.key() == null || r.value() == null || r.timestamp() < 0 || !windows.windowsEndInRange(r.timestamp())) {
                // a time whose windows would end past Long.MAX_VALUE: the end-of-input punctuation's (Long.MAX_VALUE)
                // forwarded by a punctuator; found in review (2026-12-07), it hung the task until the heap was gone
                context.recordDropped(node, r.key() == null ? "null_key" : r.value() == null ? "null_value"
                        : r.timestamp() < 0 ? "negative_timestamp" : "timestamp_out_of_range");
                return List.of();
            }
            String key = String.valueOf(r.key());
            // stream time moves only once the aggregator took the record: one whose aggregator fails is dead-lettered
            // and, like an entry refused at its source, never moves stream time (Kafka Streams moves it first, so a
            // failing record ahead of the others would make valid ones late; found by an audit, 2026-12-05)
            // and only as far as the record's arrival + lead (StageContext.streamTimeOf): a tick stamped 50 s ahead
            // is aggregated into its own window but does not close the windows of the ticks arriving on time after it
            long recordTime = context.streamTimeOf(r);
            long streamTime = Math.max(context.streamTime(node), recordTime);
            long closeTime = streamTime - windows.gracePeriodMs();
            long newFloor = Long.MIN_VALUE;
            // final results only: an update carries its record's own time, which the task's watermark (stream time -
            // size - grace) would have passed in a window kept open below it (review 2026-12-07)
            boolean holding = holdsUpstream && emit.get() == EmitStrategy.ON_WINDOW_CLOSE;
            if (holding) {
                // windows close up to the floor: stream time - grace, but never past a record held upstream; a record
                // is late against the floor before it (its own time never makes it late), so a held record released
                // after other keys moved stream time on still finds its window open
                long held = heldUpstream.getAsLong();
                long floor = context.streamTime(floorKey);
                long before = context.streamTime(node);
                if (floor == Long.MIN_VALUE && before != Long.MIN_VALUE) {
                    // state committed before the floor was kept (or by a run without a holder upstream): the windows
                    // closed then were those ending by its stream time - grace, and a record of one is late
                    floor = before - windows.gracePeriodMs();
                }
                newFloor = Math.max(floor, Math.min(closeTime, held));
                closeTime = floor;
            }
            KeyValueStore<String, Object> kv = context.store(this.store);
            List<Record<Object, Object>> out = new ArrayList<>();
            boolean late = false;
            for (long start : windows.windowStartsFor(r.timestamp())) {
                long end = start + windows.sizeMs();
                if (end <= closeTime) {
                    late = true;
                    continue;
                }
                String field = key + "@" + start;
                Object current = kv.get(field);
                Object next = aggregator.apply(key, r.value(), current == null ? initializer.get() : current);
                kv.put(field, next);
                nextExpiry = nextExpiry == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(nextExpiry, expiry(start));
                if (emit.get() == EmitStrategy.ON_WINDOW_UPDATE) {
                    out.add(r.with(new Windowed<>(key, start, end), next));
                }
            }
            context.advanceStreamTime(node, recordTime);
            if (late) {
                context.recordLate(node);
            }
            if (holding) {
                // written even while nothing closes (an unknown hold): an unwritten floor reads as state committed
                // before floors were kept, whose fallback would close the held record's window (review 2026-12-07)
                context.advanceStreamTime(floorKey, Math.max(newFloor, Long.MIN_VALUE + 1));
            }
            out.addAll(expire(holding ? (newFloor <= Long.MIN_VALUE + 1 ? Long.MIN_VALUE : newFloor + windows.gracePeriodMs())
                    : streamTime, r, context));
            return out;
        });
    }

    /**
     * A final result (on window close) has event time {@code end - 1} and an open window ends after
     * {@code stream time - grace}: lag = grace. Updates (on window update) may carry any time of an open window:
     * lag = size + grace.
     */
    @Override
    public java.util.Set<String> dropReasons() {
        // "late": a record whose windows all closed (its meter registered at 0 from the start, as the others)
        return java.util.Set.of("null_key", "null_value", "negative_timestamp", "timestamp_out_of_range", "late");
    }

    @Override
    public long watermarkLagMs() {
        return emit.get() == EmitStrategy.ON_WINDOW_CLOSE ? windows.gracePeriodMs()
                : windows.sizeMs() + windows.gracePeriodMs();
    }

    /**
     * With {@link EmitStrategy#ON_WINDOW_CLOSE}: the earliest final result still to come, {@code end - 1} of the open
     * window that ends first, so the task's watermark stays below it. The lag ({@link #watermarkLagMs()}, grace) bounds
     * it by the task's stream time, but a window closes on this node's stream time, which only records reaching the
     * window move: a record filtered out before it (or held, or with a null key) moved the task's stream time and its
     * watermark past a window still open here, whose final result then came out older than the watermark already
     * published, behind the other producers' later records (review 2026-12-07, {@code WindowCloseWatermarkTest}).
     * Nothing once every input ended (the last windows never close: Kafka Streams emits no final result for them
     * either) or with {@link EmitStrategy#ON_WINDOW_UPDATE} (updates carry their record's own time).
     */
    @Override
    public long watermarkHoldMs() {
        if (ended || emit.get() != EmitStrategy.ON_WINDOW_CLOSE) {
            return Long.MAX_VALUE;
        }
        long next = nextExpiry;
        if (next == Long.MIN_VALUE) {
            if (initContext == null) {
                return Long.MAX_VALUE;   // not initialized: its store is not read yet
            }
            next = Long.MAX_VALUE;
            for (String field : initContext.<String, Object>store(store).all().keySet()) {
                next = Math.min(next, expiry(startOf(field)));
            }
            nextExpiry = next;
        }
        return next == Long.MAX_VALUE ? Long.MAX_VALUE : next - windows.gracePeriodMs() - 1;
    }

    /**
     * With {@link EmitStrategy#ON_WINDOW_CLOSE}: a window that may still get a record a processor upstream in this task
     * holds back stays open: one ending after the earliest held record's time (as held when the input record now
     * passing through the task came in, or now, whichever is earlier) is neither closed for late records nor emitted,
     * whatever the stream time (a record held past the grace, then released with its own time, was dropped as late when
     * other keys had moved the task's stream time on). Windows close once the hold is gone, at the next record. With
     * {@link EmitStrategy#ON_WINDOW_UPDATE} Kafka's rule stays: an update carries its record's time, and the task's
     * watermark (stream time - size - grace) does not wait for held records' windows.
     */
    @Override
    public void upstreamHolds(java.util.function.LongSupplier earliestHeldUpstreamMs) {
        this.heldUpstream = earliestHeldUpstreamMs;
        this.holdsUpstream = true;
    }

    /** Its hold is final results still to come, not records held back: no hold mark (a silent partition stays idle). */
    @Override
    public boolean holdsRecordsBack() {
        return false;
    }

    @Override
    public void init(StageContext context) {
        if (initContext == null) {
            initContext = context;
        }
    }

    @Override
    public Flux<Record<Object, Object>> punctuate(long now, StageContext context) {
        init(context);
        if (now == END_OF_INPUT) {
            ended = true;
        }
        return Flux.empty();
    }

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context) {
        return stage.apply(input, context);
    }

    @Override
    public RecordStage recordStage(StageContext context) {
        return stage;
    }

    private long expiry(long start) {
        return emit.get() == EmitStrategy.ON_WINDOW_CLOSE
                ? start + windows.sizeMs() + windows.gracePeriodMs()
                : start + retentionMs;
    }

    /** Emits (on-close) and deletes the windows whose expiry passed; @return the final results to forward */
    private List<Record<Object, Object>> expire(long streamTime, Record<Object, Object> trigger, StageContext context) {
        if (nextExpiry != Long.MIN_VALUE && streamTime < nextExpiry) {
            return List.of();
        }
        KeyValueStore<String, Object> kv = context.store(store);
        List<Map.Entry<String, Object>> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Object> e : kv.all().entrySet()) {
            long exp = expiry(startOf(e.getKey()));
            if (exp <= streamTime) {
                due.add(e);
            } else {
                next = Math.min(next, exp);
            }
        }
        nextExpiry = next;
        if (due.isEmpty()) {
            return List.of();
        }
        due.sort(Comparator.<Map.Entry<String, Object>>comparingLong(e -> startOf(e.getKey())).thenComparing(Map.Entry::getKey));
        List<Record<Object, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : due) {
            kv.delete(e.getKey());
            if (emit.get() == EmitStrategy.ON_WINDOW_CLOSE) {
                long start = startOf(e.getKey());
                long end = start + windows.sizeMs();
                String key = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
                out.add(new Record<>(new Windowed<>(key, start, end), e.getValue(), end - 1, trigger.traceId(), trigger.origin()));
            }
        }
        return out;
    }

    private static long startOf(String field) {
        return Long.parseLong(field.substring(field.lastIndexOf('@') + 1));
    }
}
