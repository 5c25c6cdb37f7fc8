package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Record;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Applies a user Reactor function to the whole batch; a failing function is retried, then the batch's inputs are dead-lettered. */
public final class TransformStage implements Stage {

    private final String node;
    private final Function<Flux<Record<Object, Object>>, Flux<Record<Object, Object>>> function;

    public TransformStage(String node, Function<Flux<Record<Object, Object>>, Flux<Record<Object, Object>>> function) {
        this.node = node;
        this.function = function;
    }

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext context) {
        List<Duration> backoff = context.retryBackoff();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        return input.collectList().flatMapMany(batch -> Flux.defer(() -> {
                    if (attempts.getAndIncrement() > 0) {
                        context.recordRetry(node);
                    }
                    return function.apply(Flux.fromIterable(batch));
                })
                .collectList()
                .retryWhen(RetryBackoff.of(backoff))
                .onErrorResume(e -> {
                    batch.forEach(r -> context.deadLetter(r, node, e, backoff.size() + 1));
                    return Mono.just(List.of());
                })
                .flatMapIterable(out -> out));
    }
}
