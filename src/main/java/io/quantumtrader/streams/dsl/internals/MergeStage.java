package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;

/**
 * The stage of a {@code merge} node: forwards every record reaching it from any parent, unchanged. The executor
 * passes a merge node's input straight through without calling {@link #apply} (no Reactor step per batch); the order
 * of that input is the executor's job (Kafka Streams' depth-first order, {@code SubtopologyExecutor}).
 */
public final class MergeStage implements Stage {

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context) {
        return input;
    }
}
