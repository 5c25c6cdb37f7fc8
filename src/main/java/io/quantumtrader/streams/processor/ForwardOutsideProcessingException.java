package io.quantumtrader.streams.processor;

/**
 * A processor forwarded a record where nothing can commit it: from {@link Processor#init}, {@link Processor#close}, or
 * outside {@link Processor#process} and its punctuations (e.g. from another thread). A defect of the processor's code,
 * the same on every run: the runtime stops the task for good (runtime ERROR, health DOWN, a CRITICAL alert naming the
 * node) instead of restarting it with backoff for ever (found in review, 2026-12-06: a task whose {@code init}
 * forwarded restarted every few seconds for as long as the service ran). Kafka Streams' {@code ProcessorContextImpl}
 * refuses such a forward too ({@code StreamsException} "Current node is unknown ... called in an illegal scope").
 */
public class ForwardOutsideProcessingException extends IllegalStateException {

    /** @param message names the node and what to do */
    public ForwardOutsideProcessingException(String message) {
        super(message);
    }
}
