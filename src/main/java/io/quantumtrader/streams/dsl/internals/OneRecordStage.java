package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;

/**
 * A stage that is one {@link RecordStage}: its batch form ({@link #apply}) and its record-at-a-time form
 * ({@link #recordStage}) are that stage's, whose function gets the batch's context with each record.
 */
public abstract class OneRecordStage implements Stage {

    private final RecordStage stage;

    protected OneRecordStage(RecordStage stage) {
        this.stage = stage;
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
