package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stage that maps each record to zero or more records with a user function, in order. A throwing function is
 * retried after each delay of {@link StageContext#retryBackoff()} (the record's store writes undone each time); when
 * every attempt failed, the record's input entry is dead-lettered and the batch goes on.
 */
public final class RecordStage implements Stage {

    /** A record function that also reads the task's batch context (its stores, stream time, drop and late counts). */
    @FunctionalInterface
    public interface ContextFunction {
        /** @return the records to forward for {@code record}, in order (empty: none) */
        List<Record<Object, Object>> apply(Record<Object, Object> record, StageContext context);
    }

    private final String node;
    private final ContextFunction function;
    private final java.util.function.IntSupplier madeAfterRecord;

    /** @param function the records to forward for each record, from the record alone */
    public RecordStage(String node, Function<Record<Object, Object>, List<Record<Object, Object>>> function) {
        this(node, (ContextFunction) (record, context) -> function.apply(record));
    }

    /** @param function the records to forward for each record, from the record and the batch's context */
    public RecordStage(String node, ContextFunction function) {
        this(node, function, () -> 0);
    }

    /**
     * @param function        the records to forward for each record, from the record and the batch's context
     * @param madeAfterRecord after a call of {@code function}: how many of the records it returned, the last ones, Kafka
     *                        Streams forwards only once the record went through the whole sub-topology (a stream-time
     *                        punctuation's, {@link ProcessorStage})
     */
    public RecordStage(String node, ContextFunction function, java.util.function.IntSupplier madeAfterRecord) {
        this.node = node;
        this.function = function;
        this.madeAfterRecord = madeAfterRecord;
    }

    /**
     * @return how many of the records the last successful call returned (the last ones) come after everything else
     *         its record makes in the sub-topology: those a stream-time punctuation forwarded; 0 for most stages
     */
    public int madeAfterRecord() {
        return madeAfterRecord.getAsInt();
    }

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context) {
        return input.concatMap(record -> {
            context.beginRecord();
            try {
                List<Record<Object, Object>> out = function.apply(record, context);
                return out.isEmpty() ? Flux.empty() : Flux.fromIterable(out);
            } catch (RuntimeException e) {
                context.abortRecord();
                return retry(record, context, e);
            } catch (AssertionError | StackOverflowError e) {
                context.abortRecord();
                return retry(record, context, new RecordFailedWithError(e));
            } catch (OutOfMemoryError e) {
                context.abortRecord();
                return Flux.error(new RanOutOfMemory(e));   // fails the run: not retried, not dead-lettered
            }
        });
    }

    @Override
    public RecordStage recordStage(StageContext context) {
        return this;
    }

    /**
     * The first attempt at one record, synchronously: its outputs are appended to {@code out}.
     *
     * @throws RuntimeException when the function failed; its store writes are undone and the caller goes on with
     *                          {@link #retry} (backoff, then dead letter), as {@link #apply} does
     */
    public void applyOnce(Record<Object, Object> record, StageContext context, List<Record<Object, Object>> out) {
        context.beginRecord();
        try {
            out.addAll(function.apply(record, context));
        } catch (RuntimeException e) {
            context.abortRecord();
            throw e;
        } catch (AssertionError | StackOverflowError e) {
            context.abortRecord();
            throw new RecordFailedWithError(e);
        }
    }

    /**
     * Retries a record whose first attempt failed with {@code first}, after each delay of
     * {@link StageContext#retryBackoff()}; when every attempt failed the record is dead-lettered and nothing is emitted.
     *
     * @return the outputs of the first successful retry
     */
    public Flux<Record<Object, Object>> retry(Record<Object, Object> record, StageContext context, RuntimeException first) {
        return attempts(context, node, () -> function.apply(record, context), first,
                e -> context.deadLetter(record, node, e, context.retryBackoff().size() + 1));
    }

    /**
     * Attempts {@code attempt} until it succeeds, once more after each delay of {@link StageContext#retryBackoff()},
     * each failed attempt's store writes undone ({@link StageContext#beginRecord()}/{@link StageContext#abortRecord()})
     * and each retry counted ({@link StageContext#recordRetry}); when every attempt failed, {@code giveUp} takes the
     * last failure and nothing is emitted. Shared by a failing record ({@link #retry}) and a failing punctuation
     * ({@code ProcessorStage#punctuate}).
     *
     * @param firstFailure the failure of a first attempt the caller made already (the first retry waits the first
     *                     delay), or null to make the first attempt here
     * @return the outputs of the first attempt that succeeded
     */
    static Flux<Record<Object, Object>> attempts(StageContext context, String node,
                                                 java.util.function.Supplier<List<Record<Object, Object>>> attempt,
                                                 RuntimeException firstFailure, java.util.function.Consumer<Throwable> giveUp) {
        AtomicInteger subscriptions = new AtomicInteger();
        return Flux.<Record<Object, Object>>defer(() -> {
                    int n = subscriptions.getAndIncrement();
                    if (n == 0 && firstFailure != null) {
                        return Flux.error(firstFailure); // the failed first attempt, so the first retry waits backoff[0]
                    }
                    if (n > 0) {
                        context.recordRetry(node);
                    }
                    context.beginRecord();
                    try {
                        return Flux.fromIterable(attempt.get());
                    } catch (RuntimeException e) {
                        context.abortRecord();
                        return Flux.error(e);
                    } catch (AssertionError | StackOverflowError e) {
                        context.abortRecord();
                        return Flux.error(new RecordFailedWithError(e));
                    } catch (OutOfMemoryError e) {
                        context.abortRecord();
                        return Flux.error(new RanOutOfMemory(e));   // fails the run: not retried, not dead-lettered
                    }
                })
                .retryWhen(RetryBackoff.of(context.retryBackoff(), e -> !(e instanceof RanOutOfMemory)))
                .onErrorResume(e -> !(e instanceof RanOutOfMemory), e -> {
                    giveUp.accept(e);
                    return Flux.empty();
                });
    }
}
