package io.quantumtrader.streams.processor;

/** Creates a fresh {@link Processor} per task; must not return a shared instance. */
@FunctionalInterface
public interface ProcessorSupplier<KIn, VIn, KOut, VOut> {
    Processor<KIn, VIn, KOut, VOut> get();
}
