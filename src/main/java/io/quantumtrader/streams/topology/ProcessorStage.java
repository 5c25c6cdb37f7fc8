package io.quantumtrader.streams.topology;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Runs a user {@link Processor} (one instance per task) as a {@link RecordStage}. */
final class ProcessorStage implements Stage {

    private final String node;
    private final Processor<Object, Object, Object, Object> processor;
    private final Set<String> stores;
    private final List<Record<Object, Object>> forwarded = new ArrayList<>();
    private final RecordStage stage;
    private StageContext context;

    ProcessorStage(String node, Processor<Object, Object, Object, Object> processor, Set<String> stores) {
        this.node = node;
        this.processor = processor;
        this.stores = stores;
        this.stage = new RecordStage(node, record -> {
            forwarded.clear();
            processor.process(record);
            return forwarded.isEmpty() ? List.of() : List.copyOf(forwarded);
        });
    }

    @Override
    public Flux<Record<Object, Object>> apply(Flux<Record<Object, Object>> input, StageContext ctx) {
        if (context == null) {
            context = ctx;
            processor.init(new Context());
        }
        return stage.apply(input, ctx);
    }

    @Override
    public void close() {
        processor.close();
    }

    private final class Context implements ProcessorContext<Object, Object> {
        @Override
        @SuppressWarnings("unchecked")
        public void forward(Record<?, ?> record) {
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
        public String taskId() {
            return context.taskId();
        }

        @Override
        public int partition() {
            return context.partition();
        }
    }
}
