package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;

/**
 * A stage that is one {@link RecordStage}: its batch form ({@link #apply}) and its record-at-a-time form
 * ({@link #recordStage}) are that stage's, whose function gets the batch's context with each record.
 */
public abstract class OneRecordStage implements Stage {

    private final RecordStage stage;
    private final java.util.Set<String> dropReasons;

    protected OneRecordStage(RecordStage stage) {
        this(stage, java.util.Set.of());
    }

    /** @param dropReasons why the stage may drop a record ({@link Stage#dropReasons()}) */
    protected OneRecordStage(RecordStage stage, java.util.Set<String> dropReasons) {
        this.stage = stage;
        this.dropReasons = java.util.Set.copyOf(dropReasons);
    }

    @Override
    public final java.util.Set<String> dropReasons() {
        return dropReasons;
    }

    @Override
    public final Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context) {
        return stage.apply(input, context);
    }

    @Override
    public final RecordStage recordStage(StageContext context) {
        return stage;
    }
}
