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

    /**
     * The copy a state store hands out of a value that may be changed in place (Kafka Streams' stores hold bytes:
     * every read is a fresh value).
     *
     * @return a copy of {@code value} through {@link #serialize} and {@link #deserialize}; {@code value} itself when it
     *         is {@code null}, when the copy fails or when it is of another class (this serde cannot rebuild it: a
     *         store's commit then reports a value that cannot be written)
     */
    default T copy(T value) {
        if (value == null) {
            return null;
        }
        try {
            T copy = deserialize(serialize(value));
            return copy != null && copy.getClass() == value.getClass() ? copy : value;
        } catch (RuntimeException e) {
            return value;
        }
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
