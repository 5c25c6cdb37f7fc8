package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;

/**
 * The Reactor operator a processor node applies to the records of one task batch, in input order. The runtime
 * subscribes to it once per batch and commits the batch when it completes (DESIGN §2 commit protocol).
 */
@FunctionalInterface
public interface Stage {

    /**
     * @param input   the records reaching this node in this batch, in input order
     * @param context the task's batch context: stores, dead-lettering, retry policy
     * @return the records this node forwards to its children
     */
    Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context);

    /**
     * {@link #punctuate}'s {@code now} once every input of the task has ended (a replay's files read to the end, the
     * test driver's {@code endInput}): stream time has reached its end, so a processor's stream-time punctuations run
     * once more, at {@link Long#MAX_VALUE}, and its wall-clock ones do not (as event-time timers fire at Flink's final
     * watermark). Until 2026-12-06 nothing ran then: the price band's last suspect print stayed held, neither passed on
     * nor refused, and a replay reported it drained with the print in no stream (found in review).
     */
    long END_OF_INPUT = Long.MAX_VALUE;

    /**
     * Wall-clock punctuation: called on every runtime punctuation tick, between batches; once with
     * {@link #END_OF_INPUT} when every input of the task has ended.
     *
     * @param now wall-clock time, epoch ms, or {@link #END_OF_INPUT}
     * @return records to forward to the node's children
     */
    default Flux<Record<Object, Object>> punctuate(long now, StageContext context) {
        return Flux.empty();
    }

    /**
     * Initializes the stage for its task (a processor's {@link io.quantumtrader.streams.processor.Processor#init}),
     * once; later calls do nothing. The task calls it for every stage before it reads its first input, so that what a
     * processor restores in {@code init} (records it holds, kept in its stores) is in its
     * {@link #watermarkHoldMs()} from the first batch on; {@link #apply}, {@link #recordStage} and {@link #punctuate}
     * initialize too. Nothing by default.
     *
     * @param context the task's context: stores, wall clock
     * @throws RuntimeException what the processor's {@code init} threw (every later use of the stage throws it again)
     */
    default void init(StageContext context) {
    }

    /**
     * The record-at-a-time form of this stage, for an executor that runs records through a precompiled plan without
     * assembling a Reactor pipeline per record ({@code SubtopologyExecutor}): same function, same retries and dead
     * letters as {@link #apply}.
     *
     * @param context the task's batch context, as {@link #apply} would get it
     * @return the stage's {@link RecordStage}, or {@code null} when it only has the batch form ({@link #apply})
     */
    default RecordStage recordStage(StageContext context) {
        return null;
    }

    /**
     * How far behind the task's stream time this stage may still forward records (ms): a task publishes
     * {@code stream time - max lag} as its watermark (docs/OPERATIONS.md "Event-time alignment"). 0 for stages that
     * forward records at their input's event time.
     */
    default long watermarkLagMs() {
        return 0;
    }

    /**
     * The earliest event time (epoch ms) of a record this stage holds back and may still forward, read after each
     * batch and punctuation: the task's watermark stays below it. {@link Long#MAX_VALUE} when it holds none (every
     * stage but a processor's: {@link io.quantumtrader.streams.processor.Processor#earliestHeldTimestamp()}).
     */
    default long watermarkHoldMs() {
        return Long.MAX_VALUE;
    }

    /**
     * Given once, before the first record, to a stage downstream of processors that hold records back and forward them
     * later at their own timestamps ({@link TopologyNode#holdsRecords()}, e.g. a price band's suspect prints): the
     * earliest event time such an upstream processor of this task holds now (epoch ms; {@link Long#MAX_VALUE} none,
     * {@code Long.MIN_VALUE} unknown). A windowed aggregation keeps the windows that may still receive a held record
     * open ({@link WindowAggregateStage}). Ignored by default.
     */
    default void upstreamHolds(java.util.function.LongSupplier earliestHeldUpstreamMs) {
    }

    /**
     * Whether {@link #watermarkHoldMs()} reports records this stage holds back (a processor's), which its task tells
     * its readers about with a hold mark so they do not count it idle; false for a stage whose hold is results still to
     * come (a window's final results), which a silent partition keeps open for good. True by default.
     */
    default boolean holdsRecordsBack() {
        return true;
    }

    /**
     * Why this stage may drop a record without a result ({@code qt.streams.records.dropped}'s {@code reason} tag, e.g.
     * {@code null_key}): a task registers each at 0 when it starts, so the first drop shows in {@code rate()} and
     * {@code increase()} (a counter first exported at 1 hides its first count).
     */
    default java.util.Set<String> dropReasons() {
        return java.util.Set.of();
    }

    /** Called once when the task that owns this stage instance closes. */
    default void close() {
    }
}
