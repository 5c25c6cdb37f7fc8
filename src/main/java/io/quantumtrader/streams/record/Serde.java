package io.quantumtrader.streams.record;

/**
 * Turns values into the text stored in an envelope's {@code data} field (or a state store hash field) and back.
 *
 * @param <T> the value type
 */
public interface Serde<T> {

    /** @return the text form; never {@code null} for a non-null value */
    String serialize(T value);

    /**
     * @throws SerializationException when the text cannot be decoded or the decoded value is invalid
     */
    T deserialize(String text);

    /**
     * @return whether the values this serde reads are known to be immutable, so a state store's cache may hand out
     *         the stored object itself instead of a copy (a JSON serde: see {@code ImmutableValues}; strings: yes;
     *         otherwise no: copies, through {@link #serialize} and {@link #deserialize})
     */
    default boolean immutableValues() {
        return false;
    }

    /** Keys and plain strings: identity. */
    static Serde<String> string() {
        return new Serde<>() {
            @Override public String serialize(String value) { return value; }
            @Override public String deserialize(String text) { return text; }
            @Override public boolean immutableValues() { return true; }
        };
    }
}
