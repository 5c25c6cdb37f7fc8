package io.quantumtrader.streams.topology;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;

/**
 * What a {@link Processor} sees of its task, as Kafka Streams' {@code api.ProcessorContext}.
 *
 * @param <KOut> key type of forwarded records
 * @param <VOut> value type of forwarded records
 */
public interface ProcessorContext<KOut, VOut> {

    /** Sends a record to every child of the processor node. Forwarded records are committed with the input batch. */
    void forward(Record<? extends KOut, ? extends VOut> record);

    /**
     * @return the task's store of that name (connected with {@code process(..., storeNames)})
     * @throws TopologyException when the store is not connected to this processor
     */
    <K, V> KeyValueStore<K, V> getStateStore(String name);

    /** @return task id {@code <sub-topology>_<partition>} */
    String taskId();

    /** @return the partition this task owns */
    int partition();
}
