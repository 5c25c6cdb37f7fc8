package io.quantumtrader.streams.runtime;

/** Lifecycle of a {@link StreamsRuntime}, after Kafka Streams' {@code KafkaStreams.State}. */
public enum RuntimeState { CREATED, RUNNING, PENDING_SHUTDOWN, NOT_RUNNING, ERROR }
