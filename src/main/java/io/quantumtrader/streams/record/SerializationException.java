package io.quantumtrader.streams.record;

/** A value could not be encoded or decoded (bad JSON, a missing field, or a record whose constructor rejected it). */
public class SerializationException extends RuntimeException {
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
