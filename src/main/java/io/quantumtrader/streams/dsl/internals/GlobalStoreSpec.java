package io.quantumtrader.streams.dsl.internals;

import io.quantumtrader.streams.record.Serde;

import java.util.function.Function;

/**
 * A global table's store: built from every partition of {@code stream}, values decoded with {@code valueSerde}.
 *
 * @param subjectOf where a value names its subject, or null: an entry whose value names another subject than the
 *                  entry's is skipped ({@code invalid_value}), as a source with {@code requireSubject} refuses it
 */
public record GlobalStoreSpec(String name, String stream, Serde<?> valueSerde, Function<Object, String> subjectOf) {

    /** A global table whose values are not checked against their entry's subject. */
    public GlobalStoreSpec(String name, String stream, Serde<?> valueSerde) {
        this(name, stream, valueSerde, null);
    }
}
