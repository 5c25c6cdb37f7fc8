package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.processor.Cancellable;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.processor.Punctuator;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a user {@link Processor} (one instance per task) as a {@link RecordStage}, with its stream-time and
 * wall-clock punctuations.
 */
public final class ProcessorStage implements Stage {

    private final String node;
    private final Processor<Object, Object, Object, Object> processor;
    private final Set<String> stores;
    private final List<Record<Object, Object>> forwarded = new ArrayList<>();
    /** While {@code process} runs: the stream time with its record ({@code currentStreamTimeMs()}), else MIN_VALUE. */
    private long processingAt = Long.MIN_VALUE;
    private final List<Schedule> schedules = new ArrayList<>();
    private final RecordStage stage;
    private StageContext context;
    /** Failed attempts at the punctuations now due (reset when they succeed or are given up). */
    private int failedAttempts;
    /**
     * Where the processor is called from now: a record it forwards is kept only during {@link Phase#PROCESSING} (its
     * {@code process} or a punctuator), where it is committed with the input batch or the punctuation.
     */
    private Phase phase = Phase.IDLE;
    /** Why {@link Processor#init} failed: rethrown by every later use of the stage (null: it did not fail). */
    private RuntimeException initFailure;

    private enum Phase { INIT, PROCESSING, IDLE }

    /**
     * The stream time the current record's stream-time punctuations run at, before it is kept
     * ({@link Long#MIN_VALUE} otherwise): what {@code currentStreamTimeMs()} answers them.
     */
    private long punctuatingAt = Long.MIN_VALUE;

    /** How many of the last record's outputs its stream-time punctuations forwarded (the last ones). */
    private int punctuated;

    public ProcessorStage(String node, Processor<Object, Object, Object, Object> processor, Set<String> stores) {
        this(node, processor, stores, false);
    }

    /**
     * @param fixedKey true for {@code processValues}: a record forwarded from {@code process()} with another key than the
     *                 record processed fails that record ({@code IllegalStateException}, dead-lettered after its retries),
     *                 as Kafka Streams' {@code FixedKeyRecord} cannot change its key
     */
    public ProcessorStage(String node, Processor<Object, Object, Object, Object> processor, Set<String> stores,
                          boolean fixedKey) {
        this.node = node;
        this.processor = processor;
        this.stores = stores;
        this.stage = new RecordStage(node, (record, ignored) -> {
            forwarded.clear();
            punctuated = 0;
            phase = Phase.PROCESSING;
            long time = Math.max(context.streamTime(node), context.streamTimeOf(record));   // at most its arrival + lead
            // currentStreamTimeMs() in process() includes the record (Kafka Streams moves stream time before it calls
            // process; until 2026-12-07 it answered the time before the record, Long.MIN_VALUE for the first: review)
            processingAt = time;
            try {
                processor.process(record);
                int processed = forwarded.size();
                if (fixedKey) {
                    for (Record<Object, Object> out : forwarded) {
                        if (!java.util.Objects.equals(out.key(), record.key())) {
                            throw new IllegalStateException("processValues node '" + node + "' forwarded a record with "
                                    + "key '" + out.key() + "' for the record with key '" + record.key() + "': it keeps "
                                    + "keys (nothing after it repartitions); use process() to change keys");
                        }
                    }
                }
                punctuatingAt = time;
                try {
                    fire(PunctuationType.STREAM_TIME, time);
                } finally {
                    punctuatingAt = Long.MIN_VALUE;
                }
                // only once its punctuations succeeded: a record dead-lettered for its punctuation's failure does not
                // move stream time, as the window stage's failing aggregator does not (review 2026-12-07: it did)
                context.advanceStreamTime(node, time);
                punctuated = forwarded.size() - processed;
            } finally {
                phase = Phase.IDLE;
                processingAt = Long.MIN_VALUE;
            }
            return forwarded.isEmpty() ? List.of() : List.copyOf(forwarded);
        }, () -> punctuated);
    }

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext ctx) {
        init(ctx);
        return stage.apply(input, ctx);
    }

    @Override
    public RecordStage recordStage(StageContext ctx) {
        init(ctx);
        return stage;
    }

    /**
     * The wall-clock punctuations due at {@code now}, or at {@link #END_OF_INPUT} every stream-time punctuation. One that
     * throws is retried after each delay of {@link StageContext#retryBackoff()} (its attempt's store writes undone), as a
     * failing record is; when every attempt failed its interval is given up ({@link #fire}) and the failure is
     * dead-lettered to {@code <application-id>.<node>.dlq} (a dead letter whose {@code value} names the punctuation),
     * counted in {@code qt.streams.deadlettered}. Before (review 2026-12-07) the failure failed the task's run, and the
     * restarted task, with new stages, started counting attempts again: a punctuator that always throws restarted its
     * task at every punctuation for ever, with nothing dead-lettered or counted.
     */
    @Override
    public Flux<Record<Object, Object>> punctuate(long now, StageContext ctx) {
        init(ctx);
        return RecordStage.attempts(ctx, node, () -> punctuateOnce(now), null, e -> {
            String what = (now == END_OF_INPUT ? "the stream-time punctuations at the end of input"
                    : "the wall-clock punctuation at " + java.time.Instant.ofEpochMilli(now)) + " of processor '" + node + "'";
            ctx.deadLetter(new Record<>(null, what, now == END_OF_INPUT ? System.currentTimeMillis() : now, null, null), node, e,
                    ctx.retryBackoff().size() + 1);
        });
    }

    /** One attempt at {@link #punctuate}: the records its punctuators forwarded. */
    private List<Record<Object, Object>> punctuateOnce(long now) {
        forwarded.clear();
        phase = Phase.PROCESSING;
        try {
            if (now == END_OF_INPUT) {
                fire(PunctuationType.STREAM_TIME, END_OF_INPUT);   // stream time at its end: every interval is due
            } else {
                fire(PunctuationType.WALL_CLOCK_TIME, now);
            }
        } finally {
            phase = Phase.IDLE;
        }
        return forwarded.isEmpty() ? List.of() : List.copyOf(forwarded);
    }

    /** The processor's {@link Processor#earliestHeldTimestamp()} once it is initialized (before: it holds nothing). */
    @Override
    public long watermarkHoldMs() {
        return context == null || initFailure != null ? Long.MAX_VALUE : processor.earliestHeldTimestamp();
    }

    @Override
    public void close() {
        processor.close();
    }

    /**
     * Calls {@link Processor#init} once. When it throws (a forward refused, a store not connected), every later use of
     * the stage throws the same error: the processor is not half initialized and then used (the runtime makes new
     * stages for the task's next run).
     */
    @Override
    public void init(StageContext ctx) {
        if (initFailure != null) {
            throw initFailure;
        }
        if (context == null) {
            context = ctx;
            phase = Phase.INIT;
            try {
                processor.init(new Context());
            } catch (RuntimeException e) {
                initFailure = e;
                throw e;
            } finally {
                phase = Phase.IDLE;
            }
        }
    }

    /**
     * Runs the punctuations of {@code type} that are due at {@code time}. The schedules move on only once every due
     * punctuation succeeded: one that throws fails the record that triggered it, whose retry (its writes, the other
     * punctuations' included, undone) punctuates again, so no interval's punctuation is skipped (found in review,
     * 2026-12-05). After as many failed attempts as the record gets ({@link StageContext#retryBackoff()} + 1) the
     * interval is given up: the record is dead-lettered with the punctuator's error, and the records after it are not
     * failed by the same punctuation.
     */
    private void fire(PunctuationType type, long time) {
        if (time == Long.MIN_VALUE) {
            return;
        }
        // a cancelled schedule is dropped (Kafka Streams' PunctuationQueue): kept, a processor that re-arms a timeout
        // per record (cancel, schedule) grew the list, and each record's walk of it, for the task's life (review 2026-12-07)
        schedules.removeIf(s -> s.cancelled);
        List<Schedule> due = new ArrayList<>();
        for (Schedule s : List.copyOf(schedules)) {
            if (s.type != type || s.cancelled) {
                continue;
            }
            if (s.next == Long.MIN_VALUE) {   // a wall-clock schedule made before the clock was known
                s.anchor = time;
                s.next = time + s.intervalMs;
            } else if (time >= s.next) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        try {
            for (Schedule s : due) {
                if (!s.cancelled) {   // a punctuator of this round may cancel another one due with it (as Kafka Streams)
                    s.punctuator.punctuate(time);
                }
            }
        } catch (RuntimeException e) {
            if (++failedAttempts < context.retryBackoff().size() + 1) {
                throw e;
            }
            moveOn(due, time);
            throw e;
        }
        moveOn(due, time);
    }

    private void moveOn(List<Schedule> due, long time) {
        failedAttempts = 0;
        for (Schedule s : due) {   // the next interval after time, on the schedule's grid; missed ones are skipped
            s.next = time == END_OF_INPUT ? END_OF_INPUT   // no interval after the end (no overflow)
                    : s.anchor + (Math.floorDiv(time - s.anchor, s.intervalMs) + 1) * s.intervalMs;
        }
    }

    private static final class Schedule {
        final long intervalMs;
        final PunctuationType type;
        final Punctuator punctuator;
        /** The grid the schedule's times are on: 0 for stream time, the time it was made for wall-clock time. */
        long anchor;
        long next = Long.MIN_VALUE;
        boolean cancelled;

        Schedule(long intervalMs, PunctuationType type, Punctuator punctuator) {
            this.intervalMs = intervalMs;
            this.type = type;
            this.punctuator = punctuator;
        }
    }

    private final class Context implements ProcessorContext<Object, Object> {
        @Override
        @SuppressWarnings("unchecked")
        public void forward(Record<?, ?> record) {
            if (phase != Phase.PROCESSING) {
                // before 2026-12-06 such a record was silently dropped (the next record or punctuation cleared it)
                throw new io.quantumtrader.streams.processor.ForwardOutsideProcessingException("processor '" + node + "' called forward() "
                        + (phase == Phase.INIT ? "in init()" : "outside process() and its punctuations")
                        + ", where no input record or punctuation commits it; forward from process() or from a "
                        + "punctuation (ProcessorContext#schedule) instead");
            }
            forwarded.add((Record<Object, Object>) record);
        }

        @Override
        public <K, V> KeyValueStore<K, V> getStateStore(String name) {
            if (!stores.contains(name)) {
                throw new TopologyException("processor '" + node + "' is not connected to store '" + name
                        + "'; pass it to process(..., \"" + name + "\")");
            }
            return context.store(name);
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator punctuator) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("punctuation interval must be positive, was " + interval);
            }
            // Kafka Streams' StreamTask#schedule: stream time "align punctuation to 0L, punctuate as soon as we have
            // data" (the first record punctuates, then every multiple of the interval); wall-clock time "align
            // punctuation to now, punctuate after interval has elapsed". Before 2026-12-05 both were due at the next
            // multiple of the interval since the epoch: the first stream-time interval's punctuation never ran, and a
            // wall-clock one could run at once (found in review)
            Schedule s = new Schedule(interval.toMillis(), type, punctuator);
            schedules.add(s);
            if (type == PunctuationType.STREAM_TIME) {
                s.anchor = 0;
                long restored = phase == Phase.INIT ? context.streamTime(node) : Long.MIN_VALUE;
                // a schedule made in init() of a task whose stream time was restored (a move, a restart): the interval
                // that time is in was punctuated by the run before (its punctuations commit with the time); from 0 it
                // punctuated again at the first record, one output more per rebalance (found in review, 2026-12-07;
                // Kafka Streams does the same, this engine treats it as the duplicate it is)
                s.next = restored == Long.MIN_VALUE ? 0 : Math.floorDiv(restored, s.intervalMs) * s.intervalMs + s.intervalMs;
            } else {
                long now = context.wallClockTime();
                if (now != Long.MIN_VALUE) {
                    s.anchor = now;
                    s.next = now + s.intervalMs;
                }
            }
            return () -> s.cancelled = true;
        }

        @Override
        public void count(String reason) {
            context.recordCounted(node, reason);
        }

        @Override
        public void declareCounts(Set<String> reasons) {
            reasons.forEach(reason -> context.declareCounted(node, reason));
        }

        @Override
        public long currentStreamTimeMs() {
            return Math.max(context.streamTime(node), Math.max(punctuatingAt, processingAt));
        }

        @Override
        public long currentSystemTimeMs() {
            return context.wallClockTime();
        }

        @Override
        public String taskId() {
            return context.taskId();
        }

        @Override
        public int partition() {
            return context.partition();
        }
    }
}
