package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Serde;

/**
 * A global table's store: built from every partition of {@code stream}, values decoded with {@code valueSerde}.
 */
public record GlobalStoreSpec(String name, String stream, Serde<?> valueSerde) {
}
